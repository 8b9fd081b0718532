import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DirectoryHandle, lstatOrNull } from '../../adapters/fs/safe-read.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Creates <repo path>/<repo user>/ owned by uid:gid with mode 2770 (setgid) when running as root.
 * The directory is changed through a handle opened without following links: something else left at
 * that name (a link to /etc) is refused, never chowned.
 */
export async function createUserDir(dir: string, uid: number, gid: number): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(dir, { recursive: true });
  const handle = await DirectoryHandle.open(dir);
  if (!handle) throw new Error(`${dir} is not a directory (a link or a file is in its place)`);
  try {
    if (isRoot) {
      await handle.chown(uid, gid);
      await handle.chmod(0o2770);
    } else {
      await handle.chmod(0o770);
    }
  } finally {
    await handle.close();
  }
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Moves a repository's data along with a rename, when there is data and nothing at the new name. */
export async function renameRepositoryDir(from: string, to: string): Promise<boolean> {
  if (!(await lstatOrNull(from)) || (await lstatOrNull(to))) return false;
  await rename(from, to);
  return true;
}
