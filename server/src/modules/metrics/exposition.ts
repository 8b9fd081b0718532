import { stateOfRank } from '../repository/index.js';
import type { RepositoryMetricRow } from './metrics-query.js';

/** A label value in the text format: backslash, double quote and line feed escaped. */
export function labelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

interface Family {
  name: string;
  help: string;
  /** the sample's value, or null: the series is left out (unknown is not zero) */
  value(row: RepositoryMetricRow): number | null;
  /** extra labels after repository, repo_user and owner */
  extra?(row: RepositoryMetricRow): string;
}

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

export const REPOSITORY_FAMILIES: readonly Family[] = [
  {
    name: 'borghive_repository_last_backup_timestamp_seconds',
    help: 'When the last backup was seen (on disk or reported), in seconds since the epoch; absent when never',
    value: (r) => seconds(r.lastBackupAt),
  },
  {
    name: 'borghive_repository_usage_bytes',
    help: 'Bytes on disk, as du -sb counts them; absent when not measured yet',
    value: (r) => r.usageBytes,
  },
  {
    name: 'borghive_repository_quota_bytes',
    help: 'borg serve --storage-quota in bytes; absent when the repository has no quota',
    value: (r) => r.quotaBytes,
  },
  {
    name: 'borghive_repository_open',
    help: '1 while a borg client holds the repository lock (a write session is running)',
    value: (r) => (r.isOpen ? 1 : 0),
  },
  {
    name: 'borghive_repository_health',
    help: 'The repository health state: one series per repository, the current state, value 1',
    value: () => 1,
    extra: (r) => `,state="${stateOfRank(r.healthRank)}"`,
  },
  {
    name: 'borghive_repository_last_ping_success_timestamp_seconds',
    help: 'The last successful ping (borgmatic, healthchecks style), in seconds since the epoch',
    value: (r) => seconds(r.lastPingSuccessAt),
  },
  {
    name: 'borghive_repository_last_ping_failure_timestamp_seconds',
    help: 'The last failed ping (/fail or a non-zero exit status), in seconds since the epoch',
    value: (r) => seconds(r.lastPingFailureAt),
  },
];

/** Text written straight into one growing buffer: no 40 MB string to build, flatten and encode again. */
export class TextBuffer {
  #buf = Buffer.allocUnsafe(1 << 20);
  #at = 0;

  put(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit
    const need = this.#at + text.length * 3;
    if (need > this.#buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, need));
      this.#buf.copy(bigger, 0, 0, this.#at);
      this.#buf = bigger;
    }
    this.#at += this.#buf.write(text, this.#at, 'utf8');
  }

  get length(): number {
    return this.#at;
  }

  /**
   * The bytes written from `start` on (a view, not a copy: later writes never touch them, and a buffer
   * outgrown keeps them where they are).
   */
  since(start: number): Buffer {
    return this.#buf.subarray(start, this.#at);
  }

  /** The bytes written (a view, not a copy). */
  bytes(): Buffer {
    return this.#buf.subarray(0, this.#at);
  }
}

/**
 * The repository families in Prometheus text format 0.0.4. Written by hand rather than through
 * prom-client gauges: 100,000 repositories are several hundred thousand samples, and labelled gauges
 * would hash and store every label set on each scrape only to print it once.
 */
export function writeRepositoryExposition(
  rows: readonly RepositoryMetricRow[],
  out: TextBuffer,
  /** called with each family's bytes once written (e.g. to compress them while the next is written) */
  written?: (family: Buffer) => void,
): void {
  const labels = rows.map(
    (r) =>
      `repository="${labelValue(r.name)}",repo_user="${labelValue(r.repoUser)}",owner="${labelValue(r.owner)}"`,
  );
  for (const family of REPOSITORY_FAMILIES) {
    const start = out.length;
    out.put(`# HELP ${family.name} ${family.help}\n# TYPE ${family.name} gauge\n`);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const value = family.value(row);
      if (value === null) continue;
      out.put(`${family.name}{${labels[i]}${family.extra ? family.extra(row) : ''}} ${value}\n`);
    }
    written?.(out.since(start));
  }
}
