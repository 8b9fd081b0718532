import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SCHEDULER_SLACK_MS,
  decideAlert,
  decideRecovery,
  isStale,
  lastBackupAt,
  staleFrom,
  type AlertInput,
} from './alert-schedule.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const created = new Date('2026-01-01T00:00:00Z');
const backup = new Date('2026-02-01T00:00:00Z');
const at = (ms: number) => new Date(backup.getTime() + ms);

/** Last backup 2026-02-01, alert after 2 days, defaults (12 h interval, 5 days expiration). */
function input(overrides: Partial<AlertInput>): AlertInput {
  return {
    now: at(3 * DAY),
    lastBackup: backup,
    createdAt: created,
    alertAfterDays: 2,
    lastAlertAt: null,
    ...overrides,
  };
}

describe('lastBackupAt', () => {
  const older = new Date('2026-02-01T00:00:00Z');
  const newer = new Date('2026-02-02T00:00:00Z');
  it('takes the newer of disk update and successful ping', () => {
    assert.equal(lastBackupAt({ lastUpdatedAt: older, lastPingSuccessAt: newer }), newer);
    assert.equal(lastBackupAt({ lastUpdatedAt: newer, lastPingSuccessAt: older }), newer);
    assert.equal(lastBackupAt({ lastUpdatedAt: null, lastPingSuccessAt: older }), older);
    assert.equal(lastBackupAt({ lastUpdatedAt: older, lastPingSuccessAt: null }), older);
    assert.equal(lastBackupAt({ lastUpdatedAt: null, lastPingSuccessAt: null }), null);
  });
});

describe('isStale', () => {
  it('turns stale exactly at last backup + alertAfterDays', () => {
    assert.equal(
      isStale({ now: at(2 * DAY - 1), lastBackup: backup, createdAt: created, alertAfterDays: 2 }),
      false,
    );
    assert.equal(
      isStale({ now: at(2 * DAY), lastBackup: backup, createdAt: created, alertAfterDays: 2 }),
      true,
    );
  });

  it('counts a never backed-up repository from its creation', () => {
    const base = { lastBackup: null, createdAt: created, alertAfterDays: 3 };
    assert.equal(staleFrom(base)?.toISOString(), '2026-01-04T00:00:00.000Z');
    assert.equal(isStale({ ...base, now: new Date('2026-01-03T23:59:59.999Z') }), false);
    assert.equal(isStale({ ...base, now: new Date('2026-01-04T00:00:00Z') }), true);
  });

  it('is never stale without alertAfterDays', () => {
    assert.equal(
      isStale({ now: at(400 * DAY), lastBackup: backup, createdAt: created, alertAfterDays: null }),
      false,
    );
    assert.equal(staleFrom({ lastBackup: null, createdAt: created, alertAfterDays: null }), null);
  });
});

describe('decideAlert', () => {
  it('sends nothing while alerts are off or before the threshold', () => {
    assert.deepEqual(decideAlert(input({ alertAfterDays: null, now: at(30 * DAY) })), {
      kind: 'NONE',
      reason: 'alerts are off for this repository',
    });
    assert.deepEqual(decideAlert(input({ now: at(2 * DAY - 1) })), {
      kind: 'NONE',
      reason: 'not stale before 2026-02-03T00:00:00.000Z',
    });
  });

  it('sends the first alert exactly at the threshold', () => {
    assert.deepEqual(decideAlert(input({ now: at(2 * DAY) })), { kind: 'ALERT' });
  });

  it('alerts for a never backed-up repository once the threshold after creation passes', () => {
    const never = input({ lastBackup: null, now: new Date('2026-01-03T00:00:00Z') });
    assert.equal(decideAlert(never).kind, 'ALERT');
    assert.equal(decideAlert({ ...never, now: new Date('2026-01-02T23:00:00Z') }).kind, 'NONE');
    // Repeats run on the same clock, from creation: expired 5 days after it.
    const alerted = { ...never, lastAlertAt: new Date('2026-01-03T00:00:00Z') };
    assert.equal(decideAlert({ ...alerted, now: new Date('2026-01-03T12:00:00Z') }).kind, 'ALERT');
    assert.equal(decideAlert({ ...alerted, now: new Date('2026-01-06T00:00:01Z') }).kind, 'NONE');
  });

  it('repeats every interval, allowing the scheduler slack', () => {
    const lastAlertAt = at(2 * DAY + 5_000); // stored a few seconds after the tour that sent it
    const due = lastAlertAt.getTime() + 12 * HOUR - SCHEDULER_SLACK_MS;
    assert.deepEqual(decideAlert(input({ lastAlertAt, now: new Date(due - 1) })), {
      kind: 'NONE',
      reason: 'alerted at 2026-02-03T00:00:05.000Z; next alert due at 2026-02-03T12:00:05.000Z',
    });
    assert.equal(decideAlert(input({ lastAlertAt, now: new Date(due) })).kind, 'ALERT');
    // The hourly tour 12 h later is not pushed to the next hour.
    assert.equal(decideAlert(input({ lastAlertAt, now: at(2 * DAY + 12 * HOUR) })).kind, 'ALERT');
    assert.equal(
      decideAlert(input({ lastAlertAt, now: at(2 * DAY + 11 * HOUR), alertIntervalHours: 12 })).kind,
      'NONE',
    );
    assert.equal(
      decideAlert(input({ lastAlertAt, now: at(2 * DAY + HOUR), alertIntervalHours: 1 })).kind,
      'ALERT',
    );
  });

  it('stops repeating after alertExpirationDays from the last backup, that instant included', () => {
    const lastAlertAt = at(4 * DAY);
    assert.equal(decideAlert(input({ lastAlertAt, now: at(5 * DAY) })).kind, 'ALERT');
    assert.deepEqual(decideAlert(input({ lastAlertAt, now: at(5 * DAY + 1) })), {
      kind: 'NONE',
      reason: 'alerts stopped at 2026-02-06T00:00:00.000Z',
    });
    assert.equal(decideAlert(input({ lastAlertAt, now: at(8 * DAY), alertExpirationDays: 8 })).kind, 'ALERT');
  });

  it('still sends one alert when the threshold lies beyond the expiration', () => {
    const late = input({ alertAfterDays: 7, now: at(7 * DAY) });
    assert.equal(decideAlert(late).kind, 'ALERT');
    assert.equal(decideAlert({ ...late, lastAlertAt: at(7 * DAY), now: at(8 * DAY) }).kind, 'NONE');
  });

  it('ignores alerts from before the last backup (a new cycle starts)', () => {
    const previousCycle = new Date(backup.getTime() - HOUR);
    assert.equal(decideAlert(input({ lastAlertAt: previousCycle, now: at(2 * DAY) })).kind, 'ALERT');
  });

  it('rejects interval and expiration outside their ranges', () => {
    assert.throws(() => decideAlert(input({ alertIntervalHours: 0 })), RangeError);
    assert.throws(() => decideAlert(input({ alertIntervalHours: 49 })), RangeError);
    assert.throws(
      () => decideAlert(input({ alertExpirationDays: 31 })),
      /alertExpirationDays must be an integer from 1 to 30/,
    );
    assert.throws(() => decideAlert(input({ alertExpirationDays: 1.5 })), RangeError);
  });
});

describe('decideRecovery', () => {
  const alert = new Date('2026-02-03T00:00:00Z');
  const later = new Date('2026-02-03T08:00:00Z');
  it('announces a backup that arrives after an alert, once', () => {
    assert.equal(decideRecovery({ lastBackup: later, lastAlertAt: alert, recoveredSentAt: null }), true);
    assert.equal(decideRecovery({ lastBackup: later, lastAlertAt: alert, recoveredSentAt: later }), false);
  });

  it('stays quiet without an alert or without a newer backup', () => {
    assert.equal(decideRecovery({ lastBackup: later, lastAlertAt: null, recoveredSentAt: null }), false);
    assert.equal(decideRecovery({ lastBackup: alert, lastAlertAt: alert, recoveredSentAt: null }), false);
    assert.equal(decideRecovery({ lastBackup: null, lastAlertAt: alert, recoveredSentAt: null }), false);
  });

  it('announces again after a later alert cycle', () => {
    const earlierRecovery = new Date('2026-01-20T00:00:00Z');
    assert.equal(
      decideRecovery({ lastBackup: later, lastAlertAt: alert, recoveredSentAt: earlierRecovery }),
      true,
    );
  });
});
