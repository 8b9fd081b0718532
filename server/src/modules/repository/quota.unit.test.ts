import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BorgVersion, type KeyRole } from './borg-version.js';
import { formatBytes, quotaEnforcer, quotaExceeded, quotaReason, refusedOverQuota } from './quota.js';
import { RepositoryMode } from './repository-mode.js';

const MiB = 1024 ** 2;
const facts = (over: Partial<Parameters<typeof quotaExceeded>[0]> = {}) => ({
  mode: RepositoryMode.BORG,
  borgVersion: BorgVersion.BORG2,
  quotaBytes: 10 * MiB,
  usageBytes: 12 * MiB,
  ...over,
});

describe('the quota the hive enforces at login', () => {
  it('borg 1 enforces its own (--storage-quota); borg 2 and rsync are the hive’s', () => {
    assert.equal(quotaEnforcer(RepositoryMode.BORG, BorgVersion.BORG1), 'borg');
    assert.equal(quotaEnforcer(RepositoryMode.BORG, BorgVersion.BORG2), 'hive');
    for (const mode of [RepositoryMode.IMPORT, RepositoryMode.EXPORT])
      for (const version of [BorgVersion.BORG1, BorgVersion.BORG2])
        assert.equal(quotaEnforcer(mode, version), 'hive', `${mode} ${version}`);
  });

  it('is exceeded when the last measured usage has reached the quota', () => {
    assert.deepEqual(quotaExceeded(facts()), { usedBytes: 12 * MiB, quotaBytes: 10 * MiB });
    assert.deepEqual(quotaExceeded(facts({ usageBytes: 10 * MiB })), {
      usedBytes: 10 * MiB,
      quotaBytes: 10 * MiB,
    });
    assert.equal(quotaExceeded(facts({ usageBytes: 10 * MiB - 1 })), null, 'one byte under');
    assert.deepEqual(quotaExceeded(facts({ mode: RepositoryMode.IMPORT }))?.usedBytes, 12 * MiB);
  });

  it('is never exceeded without a quota, before a measurement, on borg 1 or on EXPORT', () => {
    assert.equal(quotaExceeded(facts({ quotaBytes: null })), null);
    assert.equal(quotaExceeded(facts({ usageBytes: null })), null, 'not measured yet: let it in');
    assert.equal(quotaExceeded(facts({ borgVersion: BorgVersion.BORG1 })), null, 'borg serve enforces it');
    assert.equal(quotaExceeded(facts({ mode: RepositoryMode.EXPORT })), null, 'only read over ssh');
  });

  it('refuses every role that can write; reading stays possible', () => {
    const roles: KeyRole[] = ['full', 'appendOnly', 'writeOnly', 'readOnly'];
    assert.deepEqual(
      roles.map((r) => refusedOverQuota(RepositoryMode.BORG, r)),
      [true, true, true, false],
    );
    assert.equal(refusedOverQuota(RepositoryMode.IMPORT, 'full'), true);
    assert.equal(refusedOverQuota(RepositoryMode.EXPORT, 'full'), false);
  });

  it('gives its reason in decimal units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(12_582_912), '12.6 MB');
    assert.equal(formatBytes(1_500_000_000_000), '1.50 TB');
    assert.equal(
      quotaReason({ usedBytes: 12_582_912, quotaBytes: 10_485_760 }),
      'over its quota: 12.6 MB used of 10.5 MB; logins that write are refused until the quota is raised or space is freed',
    );
  });
});
