import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Owners as borg writes them: `[host, pid, thread]`, kept as JSON strings to compare them. */
export type LockRoster = { exclusive: string[]; shared: string[] };

/**
 * Reads `<repo>/lock.roster` (borg's `LockRoster`: `{"shared": [...], "exclusive": [...]}`).
 * 'missing' when there is no roster (no lock holder), 'unreadable' when it is being written
 * (borg truncates and rewrites it in place) or is not JSON we understand.
 */
export async function readLockRoster(repoDir: string): Promise<LockRoster | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(join(repoDir, 'lock.roster'), 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const data: unknown = JSON.parse(text);
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
