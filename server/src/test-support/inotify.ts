import { readdir, readFile } from 'node:fs/promises';

/** inotify watches held by a process (this one by default), counted from its /proc fdinfo. */
export async function inotifyWatches(pid: number | 'self' = 'self'): Promise<number> {
  let count = 0;
  for (const fd of await readdir(`/proc/${pid}/fdinfo`)) {
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
    count += info.match(/inotify wd:/g)?.length ?? 0;
  }
  return count;
}
