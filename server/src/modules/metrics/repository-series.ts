import { promisify } from 'node:util';
import { gzip as gzipCallback, gzipSync, constants as zlib } from 'node:zlib';
import { HealthState, stateOfRank } from '../repository/index.js';
import { familyHeader, familySamples, labelsOf, REPOSITORY_FAMILIES } from './exposition.js';
import type { RepositoryMetricRow } from './metrics-query.js';

const gzip = promisify(gzipCallback);
const FAST = { level: zlib.Z_BEST_SPEED };

/** Repositories per block (by id: `id >> 10`): a change re-renders and re-compresses its block only. */
const BLOCK_SHIFT = 10;

interface Block {
  rows: Map<number, RepositoryMetricRow>;
  /** per family, its samples of this block as one gzip member; null: to be written (again) */
  members: Promise<Buffer[]> | null;
}

function same(a: RepositoryMetricRow, b: RepositoryMetricRow): boolean {
  return (
    a.name === b.name &&
    a.repoUser === b.repoUser &&
    a.owner === b.owner &&
    a.lastBackupAt === b.lastBackupAt &&
    a.usageBytes === b.usageBytes &&
    a.quotaBytes === b.quotaBytes &&
    a.isOpen === b.isOpen &&
    a.healthRank === b.healthRank &&
    a.lastPingSuccessAt === b.lastPingSuccessAt &&
    a.lastPingFailureAt === b.lastPingFailureAt &&
    a.archiveCount === b.archiveCount &&
    a.lastRunAt === b.lastRunAt &&
    a.lastRunSucceeded === b.lastRunSucceeded
  );
}

/** Writes one block's samples, family by family, each compressed off the event loop (zlib's pool). */
async function writeBlock(rows: Map<number, RepositoryMetricRow>): Promise<Buffer[]> {
  const sorted = [...rows.values()].sort((a, b) => a.id - b.id);
  const labels = sorted.map(labelsOf);
  return Promise.all(
    REPOSITORY_FAMILIES.map((family) => {
      const text = familySamples(family, sorted, labels);
      return text === '' ? Promise.resolve(Buffer.alloc(0)) : gzip(Buffer.from(text, 'utf8'), FAST);
    }),
  );
}

/**
 * The repository series, kept between scrapes as gzip members: one per family and block of 1,024
 * repository ids. A change to a repository re-writes its block (one member per family, ~50 KB of text each), not
 * the 40 MB of 100,000 repositories. The answer is the families in order, each its header and then its
 * members block by block: the members concatenated are one gzip stream (RFC 1952 allows several members;
 * Go's reader, hence Prometheus, reads them all), and the text keeps every family in one group.
 */
export class RepositorySeries {
  readonly #blocks = new Map<number, Block>();
  readonly #headers = REPOSITORY_FAMILIES.map((f) => gzipSync(Buffer.from(familyHeader(f)), FAST));
  #size = 0;
  #byState: Map<HealthState, number> | null = null;

  /** Repositories known. */
  get size(): number {
    return this.#size;
  }

  /** Repositories per health state (every state listed). */
  byState(): Map<HealthState, number> {
    if (this.#byState) return this.#byState;
    const counts = new Map<HealthState, number>(Object.values(HealthState).map((s) => [s, 0]));
    for (const block of this.#blocks.values())
      for (const row of block.rows.values()) {
        const state = stateOfRank(row.healthRank);
        counts.set(state, (counts.get(state) ?? 0) + 1);
      }
    return (this.#byState = counts);
  }

  /** Takes a repository as read (new or changed); returns whether anything changed. */
  put(row: RepositoryMetricRow): boolean {
    const key = row.id >> BLOCK_SHIFT;
    let block = this.#blocks.get(key);
    if (!block) this.#blocks.set(key, (block = { rows: new Map(), members: null }));
    const old = block.rows.get(row.id);
    if (old && same(old, row)) return false;
    if (!old) this.#size += 1;
    block.rows.set(row.id, row);
    block.members = null;
    this.#byState = null;
    return true;
  }

  /** Forgets a repository (deleted); returns whether it was known. */
  remove(id: number): boolean {
    const key = id >> BLOCK_SHIFT;
    const block = this.#blocks.get(key);
    if (!block?.rows.delete(id)) return false;
    this.#size -= 1;
    this.#byState = null;
    if (block.rows.size === 0) this.#blocks.delete(key);
    else block.members = null;
    return true;
  }

  /** The ids known (for a full comparison with the database). */
  *ids(): IterableIterator<number> {
    for (const block of this.#blocks.values()) yield* block.rows.keys();
  }

  /** The answer as gzip members in order; blocks changed since the last call are written first. */
  async gzip(): Promise<Buffer[]> {
    const keys = [...this.#blocks.keys()].sort((a, b) => a - b);
    const members = await Promise.all(
      keys.map((key) => {
        const block = this.#blocks.get(key)!;
        const written = (block.members ??= writeBlock(block.rows));
        // a failed compression is written again next time rather than kept
        written.catch(() => block.members === written && (block.members = null));
        return written;
      }),
    );
    const parts: Buffer[] = [];
    REPOSITORY_FAMILIES.forEach((_, f) => {
      parts.push(this.#headers[f]!);
      for (const block of members) if (block[f]!.length > 0) parts.push(block[f]!);
    });
    return parts;
  }
}
