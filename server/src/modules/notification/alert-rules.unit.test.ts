import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeTime } from '../../test-support/fakes/fake-time.js';
import { ChannelSettingsError } from './channels/channel-driver.js';
import { carries, DEFAULT_RULES, inQuietHours, nextLocal, releaseAt, validateRules } from './alert-rules.js';

const HOUR = 3_600_000;

describe('alert rules', () => {
  it('default to problems and recoveries, with the original’s repeats, no quiet hours and no digest', () => {
    const rules = validateRules(null);
    assert.deepEqual(rules, { ...DEFAULT_RULES });
    assert.equal(carries(rules, 'STALE'), true);
    assert.equal(carries(rules, 'STALE', true), true, 'the repeat rule stays as the original’s');
    assert.equal(carries(rules, 'FAILED'), true);
    assert.equal(carries(rules, 'RECOVERED'), true);
    assert.equal(carries(rules, 'RUN_SUCCEEDED'), false);
    assert.equal(carries(rules, 'RUN_FAILED'), false);
  });

  it('one message per incident: repeat false drops the repeats, not the first alert', () => {
    const rules = validateRules({ events: ['STALE', 'RUN_SUCCEEDED', 'STALE'], repeat: false });
    assert.deepEqual(rules.events, ['STALE', 'RUN_SUCCEEDED']);
    assert.equal(carries(rules, 'STALE'), true);
    assert.equal(carries(rules, 'STALE', true), false);
    assert.equal(carries(rules, 'RECOVERED'), false);
  });

  it('lists every bad field at once', () => {
    assert.throws(
      () =>
        validateRules({
          events: ['STALE', 'NOPE'],
          repeat: 'yes',
          quietHours: { start: '22:00', end: '22:00' },
          digestAt: '25:00',
          timeZone: 'Mars/Olympus',
          extra: 1,
        }),
      (err: unknown) => {
        assert.ok(err instanceof ChannelSettingsError);
        assert.deepEqual(err.fieldErrors.map((e) => e.field).sort(), [
          'rules.digestAt',
          'rules.events',
          'rules.extra',
          'rules.quietHours',
          'rules.repeat',
          'rules.timeZone',
        ]);
        return true;
      },
    );
    assert.throws(() => validateRules([]), /rules: must be a JSON object/);
    assert.throws(() => validateRules({ events: [] }), /rules\.events/);
  });

  it('holds messages during quiet hours across midnight, in the channel’s time zone', async () => {
    // 21:30 in Berlin (CET, UTC+1) on a winter day
    const time = new FakeTime(new Date('2026-01-15T20:30:00Z'));
    const rules = validateRules({ quietHours: { start: '22:00', end: '07:00' }, timeZone: 'Europe/Berlin' });
    assert.equal(inQuietHours(rules, time.now()), false);
    assert.deepEqual(releaseAt(rules, time.now()), time.now(), 'outside quiet hours: at once');
    await time.advance(HOUR); // 22:30 local
    assert.equal(inQuietHours(rules, time.now()), true);
    assert.deepEqual(releaseAt(rules, time.now()), new Date('2026-01-16T06:00:00Z'), '07:00 Berlin');
    await time.advance(7 * HOUR); // 05:30 local, the next day
    assert.deepEqual(releaseAt(rules, time.now()), new Date('2026-01-16T06:00:00Z'));
    await time.advance(2 * HOUR); // 06:30 UTC = 07:30 local: over
    assert.equal(inQuietHours(rules, time.now()), false);
  });

  it('a digest channel holds everything until its next digest time', async () => {
    const time = new FakeTime(new Date('2026-07-01T09:15:00Z'));
    const rules = validateRules({ digestAt: '08:00', timeZone: 'America/New_York' });
    // 05:15 in New York (EDT, UTC-4): today 08:00 local is 12:00 UTC
    assert.deepEqual(releaseAt(rules, time.now()), new Date('2026-07-01T12:00:00Z'));
    await time.advance(4 * HOUR); // 09:15 local: tomorrow's digest
    assert.deepEqual(releaseAt(rules, time.now()), new Date('2026-07-02T12:00:00Z'));
  });

  it('finds the local time across a daylight saving change', () => {
    // Berlin leaves summer time on 2026-10-25 at 03:00 CEST -> 02:00 CET
    const at = nextLocal(new Date('2026-10-24T22:00:00Z'), '07:00', 'Europe/Berlin');
    assert.deepEqual(at, new Date('2026-10-25T06:00:00Z'));
  });
});
