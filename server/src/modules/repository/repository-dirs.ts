import { chmod, chown, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Creates <repo path>/<repo user>/ owned by uid:gid with mode 2770 (setgid) when running as root. */
export async function createUserDir(dir: string, uid: number, gid: number): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(dir, { recursive: true });
  if (isRoot) {
    await chown(dir, uid, gid);
    await chmod(dir, 0o2770);
  } else {
    await chmod(dir, 0o770);
  }
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Moves a repository's data along with a rename, when there is data and nothing at the new name. */
export async function renameRepositoryDir(from: string, to: string): Promise<boolean> {
  if (!(await exists(from)) || (await exists(to))) return false;
  await rename(from, to);
  return true;
}
