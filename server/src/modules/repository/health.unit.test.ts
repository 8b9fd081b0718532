import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BorgVersion } from './borg-version.js';
import { HealthState } from './health-state.js';
import { RepositoryMode } from './repository-mode.js';
import { DEFAULT_HEALTH_POLICY, healthOf, type HealthFacts } from './health.js';

const DAY = 86_400_000;
const now = new Date('2026-12-05T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const base: HealthFacts = {
  alertAfterDays: null,
  createdAt: ago(30 * DAY),
  isOpen: false,
  lastAccessAt: null,
  lastUpdatedAt: null,
  lastPingSuccessAt: null,
  lastPingFailureAt: null,
  lastPingFailureStatus: null,
  lastPingStartAt: null,
  mode: RepositoryMode.BORG,
  borgVersion: BorgVersion.BORG1,
  quotaBytes: null,
  usageBytes: null,
  location: { name: 'node-1', agentSeenAt: null },
};
const of = (facts: Partial<HealthFacts>) => healthOf({ ...base, ...facts }, now, DEFAULT_HEALTH_POLICY);
const away = { name: 'node-1', agentSeenAt: ago(DAY) };

describe('healthOf', () => {
  it('is FAILED, with the reason, while the hive refuses logins over the quota (borg 2, rsync IMPORT)', () => {
    const over = { quotaBytes: 10_485_760, usageBytes: 12_582_912 };
    for (const facts of [
      { borgVersion: BorgVersion.BORG2, ...over },
      { mode: RepositoryMode.IMPORT, ...over },
      { borgVersion: BorgVersion.BORG2, ...over, lastUpdatedAt: ago(1000), isOpen: true },
    ]) {
      const h = of(facts);
      assert.equal(h.state, HealthState.FAILED, JSON.stringify(facts));
      assert.match(h.reason, /^over its quota: 12\.6 MB used of 10\.5 MB; logins that write are refused/);
    }
    assert.equal(of({ ...over }).state, HealthState.NEVER_BACKED_UP, 'borg 1 enforces its own quota');
    assert.equal(of({ mode: RepositoryMode.EXPORT, ...over }).state, HealthState.NEVER_BACKED_UP);
    const under = of({ borgVersion: BorgVersion.BORG2, quotaBytes: 10_485_760, usageBytes: 10_485_759 });
    assert.equal(under.state, HealthState.NEVER_BACKED_UP);
  });

  it('takes the first state that holds: FAILED, UNKNOWN, IN_PROGRESS, STALE, NEVER_BACKED_UP, OK', () => {
    const stale = { alertAfterDays: 2, lastUpdatedAt: ago(3 * DAY) };
    assert.equal(
      of({ ...stale, isOpen: true, location: away, lastPingFailureAt: ago(1) }).state,
      HealthState.FAILED,
    );
    assert.equal(of({ ...stale, isOpen: true, location: away }).state, HealthState.UNKNOWN);
    assert.equal(of({ ...stale, isOpen: true }).state, HealthState.IN_PROGRESS);
    assert.equal(of(stale).state, HealthState.STALE);
    assert.equal(of({}).state, HealthState.NEVER_BACKED_UP);
    assert.equal(of({ lastPingSuccessAt: ago(DAY) }).state, HealthState.OK);
  });

  it('a success (on disk or pinged) after a failure ends FAILED; one at the same instant too', () => {
    assert.equal(of({ lastPingFailureAt: ago(2), lastUpdatedAt: ago(1) }).state, HealthState.OK);
    assert.equal(of({ lastPingFailureAt: ago(1), lastPingSuccessAt: ago(1) }).state, HealthState.OK);
    const failed = of({ lastPingFailureAt: ago(1), lastPingFailureStatus: 3, lastPingSuccessAt: ago(2) });
    assert.equal(failed.reason, 'exit status 3 reported by the last ping');
    assert.deepEqual(failed.since, ago(1));
  });

  it('a ping /start runs until a finish, at most a day; the state ends then', () => {
    const running = of({ lastPingStartAt: ago(DAY - 1000), lastPingSuccessAt: ago(2 * DAY) });
    assert.equal(running.state, HealthState.IN_PROGRESS);
    assert.deepEqual(running.stateUntil, new Date(now.getTime() + 1000));
    assert.equal(of({ lastPingStartAt: ago(DAY), lastPingSuccessAt: ago(2 * DAY) }).state, HealthState.OK);
    assert.equal(of({ lastPingStartAt: ago(5), lastPingSuccessAt: ago(1) }).state, HealthState.OK);
  });

  it('says when it turns STALE, and words the reason in whole days', () => {
    const ok = of({ alertAfterDays: 7, lastUpdatedAt: ago(DAY) });
    assert.equal(ok.state, HealthState.OK);
    assert.deepEqual(ok.stateUntil, new Date(now.getTime() + 6 * DAY));
    const stale = of({ alertAfterDays: 7, lastUpdatedAt: ago(9 * DAY + 5) });
    assert.equal(stale.reason, 'no backup for 9 days (alert after 7 days)');
    assert.deepEqual(stale.since, ago(2 * DAY + 5));
    assert.equal(stale.stateUntil, null, 'only a backup ends it');
    assert.deepEqual(stale.until, new Date(now.getTime() + DAY - 5), 'the wording changes the next day');
    assert.equal(of({ lastUpdatedAt: ago(400 * DAY) }).alertsOff, true);
    assert.equal(of({ lastUpdatedAt: ago(400 * DAY) }).state, HealthState.OK, 'alerts off: never STALE');
  });

  it('is UNKNOWN only for a location an agent called and then left', () => {
    assert.equal(of({ location: { name: 'n', agentSeenAt: null } }).state, HealthState.NEVER_BACKED_UP);
    const recent = of({ location: { name: 'n', agentSeenAt: ago(1000) } });
    assert.equal(recent.state, HealthState.NEVER_BACKED_UP);
    assert.deepEqual(recent.until, new Date(now.getTime() - 1000 + DEFAULT_HEALTH_POLICY.agentAwayAfterMs));
    assert.equal(recent.stateUntil, null, 'the rows do not follow the agent: the location does');
    assert.match(of({ location: away }).reason, /^agent of location node-1 not seen since /);
  });
});
