import { REPO_USER, REPOSITORY_NAME } from '@borg-hive/rules';
import type { FieldProblem } from '../../graphql/errors.js';
import type { WatchReport } from './event-sink.js';
import { UNSEEN_ARCHIVE_ID } from './borg2-reports.js';

/** How far ahead of the hive's clock a storage node's clock may run. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** Nothing a borg repository reports happened before this (borg itself is from 2010). */
export const EARLIEST_REPORT = new Date('2000-01-01T00:00:00Z');
/** Far above any disk (8 PiB), still an exact integer in a double and the BIGINT column. */
export const MAX_USAGE_BYTES = Number.MAX_SAFE_INTEGER;

const BORG2_TYPES = ['ARCHIVE_CREATED', 'ARCHIVE_DELETED', 'KEY_ADDED', 'KEY_REMOVED'];
const TYPES: ReadonlySet<string> = new Set([
  'CREATED',
  'OPENED',
  'CLOSED',
  'UPDATED',
  'DELETED',
  'ACCESSED',
  'MEASURED',
  ...BORG2_TYPES,
]);
/** Object ids in archives/ and keys/ of borg 2 (their file names). */
const OBJECT_ID = /^[0-9a-f]{64}$/;
/** More ids than one report could honestly carry (archives deleted at once, key objects). */
export const MAX_REPORT_IDS = 100_000;

/**
 * What is wrong with a batch a remote agent sent, one problem per bad field (`events.<i>.<field>`,
 * so an agent can tell which reports were refused); empty when all of it may be recorded. A report
 * the hive does not believe (a time in the future, usage that no disk has) would otherwise become
 * state: `lastUpdatedAt` in 2099 silences stale alerts for good.
 */
export function reportProblems(batch: readonly WatchReport[], now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const latest = now.getTime() + CLOCK_SKEW_MS;
  batch.forEach((report, i) => {
    const field = (name: string) => `events.${i}.${name}`;
    if (!REPO_USER.test(report.repoUser))
      problems.push({ field: field('repoUser'), message: '8 characters [a-z0-9]' });
    if (!REPOSITORY_NAME.test(report.repoName))
      problems.push({ field: field('repoName'), message: 'a repository name (1-64 of A-Z a-z 0-9 . _ -)' });
    if (!TYPES.has(report.type)) problems.push({ field: field('type'), message: 'an AgentReportType' });
    const at = report.at instanceof Date ? report.at.getTime() : NaN;
    if (!Number.isFinite(at) || at < EARLIEST_REPORT.getTime() || at > latest) {
      problems.push({
        field: field('at'),
        message: `between ${EARLIEST_REPORT.toISOString()} and the hive's clock plus ${CLOCK_SKEW_MS / 60_000} minutes (${new Date(latest).toISOString()})`,
      });
    }
    const usage = report.usageBytes;
    if (report.type === 'MEASURED') {
      if (usage === undefined || !Number.isSafeInteger(usage) || usage < 0 || usage > MAX_USAGE_BYTES)
        problems.push({
          field: field('usageBytes'),
          message: `MEASURED: whole bytes, 0 to ${MAX_USAGE_BYTES}`,
        });
    } else if (usage !== undefined) {
      problems.push({ field: field('usageBytes'), message: 'only MEASURED reports carry usage' });
    }
    const borg2 = BORG2_TYPES.includes(report.type);
    const count = report.archiveCount;
    if (count !== undefined && (!borg2 || !Number.isSafeInteger(count) || count < 0))
      problems.push({
        field: field('archiveCount'),
        message: 'ARCHIVE_* and KEY_* only: a whole number, 0 or more',
      });
    const ids = report.ids;
    if (
      ids !== undefined &&
      (!borg2 ||
        ids.length > MAX_REPORT_IDS ||
        !ids.every(
          (id) => OBJECT_ID.test(id) || (report.type === 'ARCHIVE_DELETED' && id === UNSEEN_ARCHIVE_ID),
        ))
    )
      problems.push({
        field: field('ids'),
        message:
          `ARCHIVE_* and KEY_* only: at most ${MAX_REPORT_IDS} object ids of 64 hex digits ` +
          `(or, on ARCHIVE_DELETED, "${UNSEEN_ARCHIVE_ID}")`,
      });
    if (report.firstKey && report.type !== 'KEY_ADDED')
      problems.push({ field: field('firstKey'), message: 'KEY_ADDED only' });
  });
  return problems;
}
