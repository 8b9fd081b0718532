import assert from 'node:assert/strict';
import { it } from 'node:test';
import { planScan, type ScanRow } from './stale-scan.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2026-04-10T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

/** A repository created 30 days ago, backed up 1 day ago, alert after 2 days, default preferences. */
function row(id: number, overrides: Partial<ScanRow> = {}): ScanRow {
  return {
    id,
    alertAfterDays: 2,
    createdAt: ago(30 * DAY),
    lastUpdatedAt: ago(DAY),
    lastPingSuccessAt: null,
    lastAlertAt: null,
    lastRecoveredAt: null,
    staleObserved: false,
    alertIntervalHours: 12,
    alertExpirationDays: 5,
    ...overrides,
  };
}

it('a fresh repository needs nothing; one past its threshold flips to stale and gets its first alert', () => {
  const plan = planScan([row(1), row(2, { lastUpdatedAt: ago(2 * DAY) })], now);
  assert.deepEqual(plan.flips, [{ id: 2, stale: true }]);
  assert.deepEqual(
    plan.alerts.map((a) => [a.row.id, a.lastBackup]),
    [[2, ago(2 * DAY)]],
  );
  assert.deepEqual(plan.recoveries, []);
  assert.equal(plan.scanned, 2);
});

it('a successful ping counts as a backup; a repository never backed up is stale from its creation', () => {
  const pinged = row(1, { lastUpdatedAt: ago(9 * DAY), lastPingSuccessAt: ago(HOUR) });
  const never = row(2, { lastUpdatedAt: null, createdAt: ago(3 * DAY) });
  const plan = planScan([pinged, never], now);
  assert.deepEqual(plan.flips, [{ id: 2, stale: true }]);
  assert.deepEqual(
    plan.alerts.map((a) => [a.row.id, a.lastBackup]),
    [[2, null]],
  );
});

it('repeats an alert every alertIntervalHours until alertExpirationDays after the last backup', () => {
  const stale = { lastUpdatedAt: ago(3 * DAY), staleObserved: true };
  const plan = planScan(
    [
      row(1, { ...stale, lastAlertAt: ago(6 * HOUR) }),
      row(2, { ...stale, lastAlertAt: ago(12 * HOUR) }),
      row(3, { ...stale, lastUpdatedAt: ago(6 * DAY), lastAlertAt: ago(13 * HOUR) }),
      row(4, { ...stale, alertAfterDays: null }),
    ],
    now,
  );
  assert.deepEqual(
    plan.alerts.map((a) => a.row.id),
    [2],
    '1: alerted 6 h ago; 3: expired after 5 days; 4: alerts off',
  );
  assert.deepEqual(plan.flips, [{ id: 4, stale: false }], 'alerts turned off: no longer stale');
});

it('a backup after an alert earns one recovery and flips back to fresh', () => {
  const recovered = row(1, { lastUpdatedAt: ago(HOUR), lastAlertAt: ago(5 * HOUR), staleObserved: true });
  const answered = row(2, {
    lastUpdatedAt: ago(HOUR),
    lastAlertAt: ago(5 * HOUR),
    lastRecoveredAt: ago(30 * 60_000),
  });
  const plan = planScan([recovered, answered], now);
  assert.deepEqual(
    plan.recoveries.map((r) => [r.row.id, r.lastBackup]),
    [[1, ago(HOUR)]],
  );
  assert.deepEqual(plan.flips, [{ id: 1, stale: false }]);
  assert.deepEqual(plan.alerts, []);
});

it('a row with owner preferences out of range is reported, not alerted, and the others go on', () => {
  const plan = planScan(
    [row(1, { lastUpdatedAt: ago(3 * DAY), alertIntervalHours: 0 }), row(2, { lastUpdatedAt: ago(3 * DAY) })],
    now,
  );
  assert.equal(plan.invalid.length, 1);
  assert.equal(plan.invalid[0]?.id, 1);
  assert.match(plan.invalid[0]?.problem ?? '', /alertIntervalHours must be an integer from 1 to 48/);
  assert.deepEqual(
    plan.alerts.map((a) => a.row.id),
    [2],
  );
});
