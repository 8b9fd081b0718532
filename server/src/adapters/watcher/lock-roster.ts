import { join } from 'node:path';
import { readSmallFile, type DirectoryHandle } from '../fs/safe-read.js';

/** Owners as borg writes them: `[host, pid, thread]`, kept as JSON strings to compare them. */
export type LockRoster = { exclusive: string[]; shared: string[] };

/** borg's roster holds a few owners (~50 bytes each); anything larger is not one. */
export const MAX_ROSTER_BYTES = 64 * 1024;

/**
 * Reads `<repo>/lock.roster` (borg's `LockRoster`: `{"shared": [...], "exclusive": [...]}`).
 * 'missing' when there is no roster (no lock holder), 'unreadable' when it is being written
 * (borg truncates and rewrites it in place), is not JSON we understand, or is not a regular file
 * of at most MAX_ROSTER_BYTES (a FIFO, a device, a link: never read, see safe-read.ts).
 * `repo` is the repository directory (the watcher's sessions: it tracks real directories only), or
 * its handle when the caller holds one (reconciliation: then a link in its place is not followed).
 */
export async function readLockRoster(
  repo: string | DirectoryHandle,
): Promise<LockRoster | 'missing' | 'unreadable'> {
  const file =
    typeof repo === 'string'
      ? await readSmallFile(join(repo, 'lock.roster'), MAX_ROSTER_BYTES)
      : await repo.readSmallFile('lock.roster', MAX_ROSTER_BYTES);
  if (file === 'missing') return 'missing';
  if (file === 'refused') return 'unreadable';
  try {
    const data: unknown = JSON.parse(file.text);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'unreadable';
    const record = data as Record<string, unknown>;
    return { exclusive: owners(record['exclusive']), shared: owners(record['shared']) };
  } catch {
    return 'unreadable';
  }
}

function owners(value: unknown): string[] {
  return Array.isArray(value) ? value.map((owner) => JSON.stringify(owner)) : [];
}
