import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

it('has the defaults of the contract', () => {
  const c = loadConfig({}, '/srv/hive');
  assert.equal(c.dataDir, '/srv/hive/var');
  assert.deepEqual(c.database, { dialect: 'sqlite', url: 'file:/srv/hive/var/hive.db' });
  assert.equal(c.repoPath, '/srv/hive/var/repos');
  assert.deepEqual(c.http, { host: '127.0.0.1', port: 4000, publicUrl: 'http://127.0.0.1:4000' });
  assert.deepEqual(c.ssh, { host: 'localhost', port: 22 });
  assert.equal(c.accounts, 'none');
  assert.equal(c.watch, true);
  assert.equal(c.smtp, null);
});

it('lists every problem at once', () => {
  try {
    loadConfig({
      BORGHIVE_PORT: 'eighty',
      BORGHIVE_DATABASE_URL: 'postgres://x',
      BORGHIVE_ACCOUNTS: 'nis',
      BORGHIVE_WATCH: 'maybe',
      BORGHIVE_SMTP_URL: 'http://mail',
      BORGHIVE_SSH_PORT: '70000',
    });
    assert.fail('expected ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 6, err.message);
  }
});

it('reads secrets from <NAME>_FILE and understands MariaDB URLs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bh-cfg-'));
  writeFileSync(join(dir, 'pw'), 's3cret\n');
  const c = loadConfig({
    BORGHIVE_ADMIN_PASSWORD_FILE: join(dir, 'pw'),
    BORGHIVE_DATABASE_URL: 'mariadb://hive:pw@127.0.0.1:3306/borghive',
    BORGHIVE_ACCOUNTS: 'ldap',
    BORGHIVE_LDAP_URL: 'ldap://127.0.0.1:389',
    BORGHIVE_LDAP_BIND_DN: 'cn=admin,dc=borghive,dc=local',
  });
  assert.equal(c.adminPassword, 's3cret');
  assert.equal(c.database.dialect, 'mariadb');
  assert.equal(c.ldap?.userBaseDn, 'dc=borghive,dc=local');
  assert.throws(
    () => loadConfig({ BORGHIVE_ACCOUNTS: 'ldap' }),
    /BORGHIVE_ACCOUNTS=ldap needs BORGHIVE_LDAP_URL/,
  );
});

it('re-checks open WebSockets every 30 s unless told otherwise (1 to 3600)', () => {
  assert.equal(loadConfig({}, '/srv/hive').wsRecheckSeconds, 30);
  assert.equal(loadConfig({ BORGHIVE_WS_RECHECK_SECONDS: '5' }, '/srv/hive').wsRecheckSeconds, 5);
  for (const bad of ['0', '1.5', 'soon', '3601']) {
    assert.throws(() => loadConfig({ BORGHIVE_WS_RECHECK_SECONDS: bad }), /BORGHIVE_WS_RECHECK_SECONDS/);
  }
});
