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
  assert.deepEqual(c.http, {
    host: '127.0.0.1',
    port: 4000,
    publicUrl: 'http://127.0.0.1:4000',
    trustedProxies: [],
    consoleHives: [],
  });
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

it('reads the outbound allow list, the Pushover API origin and the secret key file, listing every bad entry', () => {
  const c = loadConfig(
    {
      BORGHIVE_OUTBOUND_ALLOW: ' 10.0.0.0/8, fd00::/8 ,127.0.0.1, [::1], ntfy.internal., Hooks.LAN ',
      BORGHIVE_PUSHOVER_API_URL: 'https://pushover.proxy.example/',
    },
    '/srv/hive',
  );
  assert.deepEqual(c.outbound, {
    allow: {
      cidrs: [
        { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
        { address: 'fd00::', prefix: 8, family: 'ipv6' },
        { address: '127.0.0.1', prefix: 32, family: 'ipv4' },
        { address: '::1', prefix: 128, family: 'ipv6' },
      ],
      hosts: ['ntfy.internal', 'hooks.lan'],
    },
    pushoverApiUrl: 'https://pushover.proxy.example',
  });
  assert.equal(c.secretKeyFile, '/srv/hive/var/secret.key');
  assert.deepEqual(loadConfig({}, '/srv/hive').outbound, {
    allow: { cidrs: [], hosts: [] },
    pushoverApiUrl: 'https://api.pushover.net',
  });
  assert.equal(
    loadConfig({ BORGHIVE_SECRET_KEY_FILE: 'keys/hive.key' }, '/srv').secretKeyFile,
    '/srv/keys/hive.key',
  );
  try {
    loadConfig({
      BORGHIVE_OUTBOUND_ALLOW: '10.0.0.0/33,300.1.2.3,bad host,1.2.3.4/8/9',
      BORGHIVE_PUSHOVER_API_URL: 'ftp://api.pushover.net/1',
    });
    assert.fail('expected ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 5, err.message);
    assert.match(err.message, /"10\.0\.0\.0\/33" is neither/);
  }
});

it('BORGHIVE_CONSOLE_HIVES: http(s) origins for the web console, every bad one listed', () => {
  const c = loadConfig({ BORGHIVE_CONSOLE_HIVES: 'https://hive2.example.com/, http://10.0.0.5:4000' });
  assert.deepEqual(c.http.consoleHives, ['https://hive2.example.com', 'http://10.0.0.5:4000']);
  assert.throws(
    () => loadConfig({ BORGHIVE_CONSOLE_HIVES: 'hive2.example.com ftp://x.test https://x.test/path' }),
    (err: Error) => {
      assert.match(err.message, /"hive2\.example\.com" is not an http\(s\) origin/);
      assert.match(err.message, /"ftp:\/\/x\.test" is not/);
      assert.match(err.message, /"https:\/\/x\.test\/path" is not/);
      return true;
    },
  );
});

it('BORGHIVE_TRUST_PROXY: addresses and CIDR ranges, every bad one listed', () => {
  const c = loadConfig({ BORGHIVE_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8 ::1,fd00::/8' });
  assert.deepEqual(c.http.trustedProxies, ['127.0.0.1/32', '10.0.0.0/8', '::1/128', 'fd00::/8']);
  try {
    loadConfig({ BORGHIVE_TRUST_PROXY: 'proxy.example.org,10.0.0.0/33,1.2.3.4/8/8,::1/129' });
    assert.fail('expected ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 4, err.message);
    assert.match(err.message, /BORGHIVE_TRUST_PROXY: "proxy.example.org" is not an IP address or CIDR range/);
  }
});

it('reads per-user limits with their defaults and lists every bad one', () => {
  assert.deepEqual(loadConfig({}, '/srv/hive').limits, {
    repositories: 100,
    sshKeys: 100,
    channels: 20,
    apiTokens: 20,
    creationsPerMinute: 30,
  });
  const c = loadConfig({ BORGHIVE_LIMIT_REPOSITORIES: '5', BORGHIVE_LIMIT_CREATIONS_PER_MINUTE: '0' });
  assert.equal(c.limits.repositories, 5);
  assert.equal(c.limits.creationsPerMinute, 0);
  try {
    loadConfig({
      BORGHIVE_LIMIT_REPOSITORIES: '-1',
      BORGHIVE_LIMIT_SSH_KEYS: 'many',
      BORGHIVE_LIMIT_CHANNELS: '2.5',
      BORGHIVE_LIMIT_API_TOKENS: '1e3',
      BORGHIVE_LIMIT_CREATIONS_PER_MINUTE: '9999999',
    });
    assert.fail('expected ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 5, err.message);
    assert.match(err.message, /BORGHIVE_LIMIT_SSH_KEYS must be a whole number/);
  }
});

it('reads the WebSocket caps and refuses what is not a count', () => {
  assert.deepEqual(loadConfig({}).websocket, {
    maxSubscriptions: 100,
    maxSocketsPerUser: 20,
    maxQueued: 1000,
  });
  const c = loadConfig({ BORGHIVE_WS_MAX_SUBSCRIPTIONS: '5', BORGHIVE_WS_MAX_SOCKETS_PER_USER: '2' });
  assert.equal(c.websocket.maxSubscriptions, 5);
  assert.equal(c.websocket.maxSocketsPerUser, 2);
  assert.throws(
    () =>
      loadConfig({
        BORGHIVE_WS_MAX_SUBSCRIPTIONS: '0',
        BORGHIVE_WS_MAX_SOCKETS_PER_USER: 'many',
        BORGHIVE_WS_MAX_QUEUED: '2.5',
      }),
    (err: unknown) => err instanceof ConfigError && err.problems.length === 3,
  );
});

it('reads the request limits and lists each bad one', () => {
  const c = loadConfig({ BORGHIVE_MAX_RESPONSE_BYTES: '1048576', BORGHIVE_HTTP_MAX_CONNECTIONS: '50' });
  assert.equal(c.requestLimits.maxResponseBytes, 1048576);
  assert.equal(c.requestLimits.http.maxConnections, 50);
  assert.equal(loadConfig({}).requestLimits.maxResponseBytes, 32 * 2 ** 20);
  try {
    loadConfig({
      BORGHIVE_MAX_QUERY_COST: 'lots',
      BORGHIVE_HEAVY_QUERIES_PER_USER: '0',
      BORGHIVE_HTTP_HEADERS_TIMEOUT_MS: '5000',
      BORGHIVE_HTTP_REQUEST_TIMEOUT_MS: '1000',
    });
    assert.fail('expected ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 3, err.message);
    assert.match(err.message, /BORGHIVE_MAX_QUERY_COST/);
    assert.match(err.message, /BORGHIVE_HEAVY_QUERIES_PER_USER/);
    assert.match(err.message, /BORGHIVE_HTTP_REQUEST_TIMEOUT_MS must not be shorter/);
  }
});

it('re-checks open WebSockets every 30 s unless told otherwise (1 to 3600)', () => {
  assert.equal(loadConfig({}, '/srv/hive').wsRecheckSeconds, 30);
  assert.equal(loadConfig({ BORGHIVE_WS_RECHECK_SECONDS: '5' }, '/srv/hive').wsRecheckSeconds, 5);
  for (const bad of ['0', '1.5', 'soon', '3601']) {
    assert.throws(() => loadConfig({ BORGHIVE_WS_RECHECK_SECONDS: bad }), /BORGHIVE_WS_RECHECK_SECONDS/);
  }
});
