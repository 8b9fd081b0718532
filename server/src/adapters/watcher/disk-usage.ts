import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { DirectoryHandle, lstatOrNull } from '../fs/safe-read.js';

const PARALLEL_LSTATS = 64;

type PendingDir = { path: string; dev: number; ino: number };

/**
 * Bytes as `du -sbx <dir>` prints them: apparent sizes of every entry including directories and
 * symlinks themselves (never followed), a hard-linked inode counted once, nothing on another
 * filesystem (a mount point is neither counted nor entered). Iterative (no recursion depth limit)
 * and tolerant of entries vanishing mid-walk (borg compacting while we count). A directory is only
 * entered as the inode its parent listed (opened without following a link, then compared), so a
 * directory swapped for a link to / or into a loop while we walk is skipped, not followed.
 * Returns 0 when `dir` does not exist.
 */
export async function diskUsage(dir: string): Promise<number> {
  const root = await lstatOrNull(dir);
  if (!root) return 0;
  const seen = new Set<string>();
  let total = 0;
  const count = (stats: Stats): void => {
    if (!stats.isDirectory() && stats.nlink > 1) {
      const key = `${stats.dev}:${stats.ino}`;
      if (seen.has(key)) return;
      seen.add(key);
    }
    total += stats.size;
  };
  count(root);
  if (!root.isDirectory()) return total;
  const pending: PendingDir[] = [{ path: dir, dev: root.dev, ino: root.ino }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const current = await DirectoryHandle.open(next.path);
    if (!current) continue; // vanished, unreadable, or no longer a directory: it no longer counts
    try {
      if (current.stats.dev !== next.dev || current.stats.ino !== next.ino) continue; // swapped meanwhile
      const names = await current.names();
      for (let i = 0; i < names.length; i += PARALLEL_LSTATS) {
        const batch = names.slice(i, i + PARALLEL_LSTATS);
        const entries = await Promise.all(
          batch.map(async (name) => ({ name, stats: await current.lstat(name) })),
        );
        for (const { name, stats } of entries) {
          if (!stats || stats.dev !== root.dev) continue;
          count(stats);
          if (stats.isDirectory())
            pending.push({ path: join(next.path, name), dev: stats.dev, ino: stats.ino });
        }
      }
    } finally {
      await current.close();
    }
  }
  return total;
}
