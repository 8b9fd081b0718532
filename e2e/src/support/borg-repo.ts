import { execFile } from 'node:child_process';
import { readdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `borg init` of a real, unencrypted repository at `repoPath` (borg's own state under `baseDir`). */
export async function borgInit(repoPath: string, baseDir: string): Promise<void> {
  await run('borg', ['init', '--encryption=none', '--make-parent-dirs', repoPath], {
    env: { ...process.env, BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes', BORG_BASE_DIR: baseDir },
  });
}

/** Makes every file of the repository (its index.* = last commit) look `days` old. */
export async function ageRepository(repoPath: string, days: number): Promise<void> {
  const old = new Date(Date.now() - days * 24 * 3600 * 1000);
  for (const file of await readdir(repoPath)) await utimes(path.join(repoPath, file), old, old);
}
