import { stateOfRank } from '../repository/index.js';
import type { RepositoryMetricRow } from './metrics-query.js';

/** A label value in the text format: backslash, double quote and line feed escaped. */
export function labelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

export interface Family {
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
  {
    name: 'borghive_repository_archives',
    help: 'Archives in the repository where the hive knows them (borg 2); absent when unknown',
    value: (r) => r.archiveCount,
  },
  {
    name: 'borghive_repository_last_run_timestamp_seconds',
    help: "When the hive's last backup run of the repository (pull mode) ended with a result, in seconds since the epoch; absent when none",
    value: (r) => seconds(r.lastRunAt),
  },
  {
    name: 'borghive_repository_last_run_success',
    help: "1 when the hive's last backup run of the repository succeeded, 0 when it failed; absent when the hive never ran one",
    value: (r) => (r.lastRunSucceeded === null ? null : r.lastRunSucceeded ? 1 : 0),
  },
];

/** The label text of one repository's series: `repository="...",repo_user="...",owner="..."`. */
export function labelsOf(row: RepositoryMetricRow): string {
  return `repository="${labelValue(row.name)}",repo_user="${labelValue(row.repoUser)}",owner="${labelValue(row.owner)}"`;
}

/** The `# HELP` and `# TYPE` lines that open a family (once, before all its samples). */
export function familyHeader(family: Family): string {
  return `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} gauge\n`;
}

/**
 * One family's samples of these rows in Prometheus text format 0.0.4 (`labels[i]` is labelsOf(rows[i])).
 * Written by hand rather than through prom-client gauges: 100,000 repositories are several hundred
 * thousand samples, and labelled gauges would hash and store every label set on each scrape only to
 * print it once.
 */
export function familySamples(
  family: Family,
  rows: readonly RepositoryMetricRow[],
  labels: readonly string[],
): string {
  let text = '';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const value = family.value(row);
    if (value === null) continue;
    text += `${family.name}{${labels[i]}${family.extra ? family.extra(row) : ''}} ${value}\n`;
  }
  return text;
}
