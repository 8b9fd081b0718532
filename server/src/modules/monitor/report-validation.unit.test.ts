import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { WatchReport } from './event-sink.js';
import { UNSEEN_ARCHIVE_ID } from './borg2-reports.js';
import { CLOCK_SKEW_MS, MAX_USAGE_BYTES, reportProblems } from './report-validation.js';

const now = new Date('2026-04-10T12:00:00Z');
const good: WatchReport = { repoUser: 'u1234567', repoName: 'laptop.home', type: 'UPDATED', at: now };

const fields = (batch: WatchReport[]) => reportProblems(batch, now).map((p) => p.field);

it('a batch of good reports has no problems', () => {
  assert.deepEqual(
    fields([
      good,
      { ...good, type: 'MEASURED', usageBytes: 0 },
      { ...good, type: 'MEASURED', usageBytes: MAX_USAGE_BYTES },
      { ...good, at: new Date(now.getTime() + CLOCK_SKEW_MS) },
    ]),
    [],
  );
});

it('names every bad field of every report by its position', () => {
  const bad = {
    repoUser: 'Root',
    repoName: '../etc',
    type: 'EXPLODED',
    at: new Date('1999-12-31T23:59:59Z'),
  } as unknown as WatchReport;
  assert.deepEqual(fields([good, bad]), [
    'events.1.repoUser',
    'events.1.repoName',
    'events.1.type',
    'events.1.at',
  ]);
});

it('refuses a time beyond the clock skew, or no time at all', () => {
  assert.deepEqual(
    fields([
      { ...good, at: new Date(now.getTime() + CLOCK_SKEW_MS + 1) },
      { ...good, at: new Date(Number.NaN) },
      { ...good, at: '2026-04-10T12:00:00Z' as unknown as Date },
    ]),
    ['events.0.at', 'events.1.at', 'events.2.at'],
  );
});

it('only MEASURED carries usage, in whole bytes within range', () => {
  assert.deepEqual(
    fields([
      { ...good, usageBytes: 10 },
      { ...good, type: 'MEASURED' },
      { ...good, type: 'MEASURED', usageBytes: -1 },
      { ...good, type: 'MEASURED', usageBytes: 1.5 },
      { ...good, type: 'MEASURED', usageBytes: MAX_USAGE_BYTES + 2 },
    ]),
    [
      'events.0.usageBytes',
      'events.1.usageBytes',
      'events.2.usageBytes',
      'events.3.usageBytes',
      'events.4.usageBytes',
    ],
  );
});

it('borg 2 ids: 64 hex digits on ARCHIVE_* and KEY_*; the unseen-deletion id on ARCHIVE_DELETED only', () => {
  const id = 'ab'.repeat(32);
  assert.deepEqual(
    fields([
      { ...good, type: 'ARCHIVE_CREATED', ids: [id], archiveCount: 1 },
      { ...good, type: 'ARCHIVE_DELETED', ids: [id, UNSEEN_ARCHIVE_ID], archiveCount: 0 },
      { ...good, type: 'KEY_ADDED', ids: [UNSEEN_ARCHIVE_ID] },
      { ...good, type: 'ARCHIVE_CREATED', ids: [UNSEEN_ARCHIVE_ID] },
      { ...good, type: 'ARCHIVE_DELETED', ids: ['../../etc/passwd'] },
      { ...good, type: 'UPDATED', ids: [id] },
    ]),
    ['events.2.ids', 'events.3.ids', 'events.4.ids', 'events.5.ids'],
  );
});
