import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface RepoFiles {
  /** The last committed transaction: N of index.N. */
  transaction: number;
  /** data/<dir>/<segment> -> size in bytes */
  segments: Map<string, number>;
}

/** Reads a borg 1.x repository's on-disk state (as root, beside the borg serve that owns it). */
export async function repoFiles(repoPath: string): Promise<RepoFiles> {
  const names = await readdir(repoPath);
  const indexes = names.flatMap((name) => (/^index\.(\d+)$/.exec(name) ? [Number(name.slice(6))] : []));
  if (indexes.length !== 1) throw new Error(`expected one index.N in ${repoPath}, found ${indexes.length}`);
  const segments = new Map<string, number>();
  for (const dir of await readdir(join(repoPath, 'data'))) {
    for (const segment of await readdir(join(repoPath, 'data', dir))) {
      segments.set(`${dir}/${segment}`, (await stat(join(repoPath, 'data', dir, segment))).size);
    }
  }
  return { transaction: indexes[0], segments };
}

/**
 * Rolls an append-only repository back to an earlier transaction, as borg's docs describe: remove the
 * segments written after it and the newer index, hints and integrity files.
 */
export async function rollBackTo(repoPath: string, transaction: number): Promise<void> {
  for (const name of await readdir(repoPath)) {
    const match = /^(index|hints|integrity)\.(\d+)$/.exec(name);
    if (match && Number(match[2]) > transaction) await rm(join(repoPath, name));
  }
  for (const dir of await readdir(join(repoPath, 'data'))) {
    for (const segment of await readdir(join(repoPath, 'data', dir))) {
      if (Number(segment) > transaction) await rm(join(repoPath, 'data', dir, segment));
    }
  }
}
