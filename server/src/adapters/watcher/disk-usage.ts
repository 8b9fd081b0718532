import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const PARALLEL_LSTATS = 64;

/**
 * Bytes as `du -sb <dir>` prints them: apparent sizes of every entry including directories and
 * symlinks themselves (never followed), a hard-linked inode counted once. Iterative (no recursion
 * depth limit) and tolerant of entries vanishing mid-walk (borg compacting while we count).
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
  const pending = [dir];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      continue; // vanished or unreadable: it no longer counts
    }
    for (let i = 0; i < entries.length; i += PARALLEL_LSTATS) {
      const batch = entries.slice(i, i + PARALLEL_LSTATS).map((entry) => join(current, entry.name));
      const stats = await Promise.all(batch.map(lstatOrNull));
      stats.forEach((entryStats, j) => {
        if (!entryStats) return;
        count(entryStats);
        if (entryStats.isDirectory()) pending.push(batch[j]);
      });
    }
  }
  return total;
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch {
    return null;
  }
}
