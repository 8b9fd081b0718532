import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from './support/paths.js';
import { run } from './support/run.js';

// The directory container's entrypoint (ldap/docker/entrypoint.sh), run for real outside a container:
// it must load the bootstrap entries with the secrets' passwords, not the development ones.
const skip =
  process.getuid?.() !== 0
    ? 'needs root (slapd drops to the openldap user)'
    : !existsSync('/usr/sbin/slapd')
      ? 'slapd is not installed'
      : undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

describe('ldap/docker/entrypoint.sh', { skip }, () => {
  let dir: string;
  let url: string;
  let env: NodeJS.ProcessEnv;
  let slapd: ChildProcess | undefined;
  let log = '';

  const start = async (): Promise<void> => {
    log = '';
    slapd = spawn('sh', [join(repoRoot, 'ldap/docker/entrypoint.sh')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    slapd.stdout?.setEncoding('utf8').on('data', (c: string) => (log += c));
    slapd.stderr?.setEncoding('utf8').on('data', (c: string) => (log += c));
    for (let i = 0; i < 200; i++) {
      const probe = await run('ldapsearch', ['-x', '-LLL', '-H', url, '-b', '', '-s', 'base', '1.1']);
      if (probe.code === 0) return;
      if (slapd.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`slapd did not answer on ${url}:\n${log}`);
  };
  const stop = async (): Promise<void> => {
    const child = slapd;
    slapd = undefined;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  };
  const bind = (dn: string, password: string) =>
    run('ldapwhoami', ['-x', '-H', url, '-D', `${dn},dc=borghive,dc=local`, '-w', password]);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hive-ldap-entry-'));
    await chmod(dir, 0o755); // slapd reads its configuration as openldap
    await mkdir(join(dir, 'etc'), { mode: 0o755 });
    for (const f of ['slapd.conf.template', 'bootstrap.ldif']) {
      await copyFile(join(repoRoot, 'ldap', f), join(dir, 'etc', f));
    }
    await writeFile(join(dir, 'admin'), 'admin-secret-1\n', { mode: 0o600 });
    await writeFile(join(dir, 'readonly'), 'readonly-secret-2\n', { mode: 0o600 });
    url = `ldap://127.0.0.1:${await freePort()}/`;
    env = {
      PATH: process.env.PATH,
      LDAP_DATA_DIR: join(dir, 'data'),
      LDAP_ETC_DIR: join(dir, 'etc'),
      LDAP_URLS: url,
      LDAP_ADMIN_PASSWORD_FILE: join(dir, 'admin'),
      LDAP_READONLY_PASSWORD_FILE: join(dir, 'readonly'),
    };
    await start();
  });
  after(async () => {
    await stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test('loads the bootstrap entries with the passwords from the secret files', async () => {
    assert.match(log, /loaded bootstrap\.ldif/);
    assert.equal((await bind('cn=admin', 'admin-secret-1')).code, 0);
    assert.equal((await bind('cn=readonly', 'readonly-secret-2')).code, 0);
    assert.equal((await bind('cn=readonly', 'readonly')).code, 49, 'the development password still works');
    assert.equal((await bind('cn=admin', 'admin')).code, 49);
    const groups = await run('ldapsearch', [
      ...['-x', '-LLL', '-H', url, '-D', 'cn=readonly,dc=borghive,dc=local', '-w', 'readonly-secret-2'],
      ...['-b', 'ou=groups,dc=borghive,dc=local', '(cn=borg)', 'gidNumber'],
    ]);
    assert.match(groups.stdout, /gidNumber: 1000/);
  });

  test('keeps every write synced (no dbnosync) and reuses the data on the next start', async () => {
    const conf = await readFile(join(dir, 'etc', 'slapd.conf'), 'utf8');
    assert.doesNotMatch(conf, /^dbnosync/m);
    assert.doesNotMatch(conf, /@ROOTPW@|@DATADIR@|admin-secret-1/);
    await stop();
    await start();
    assert.doesNotMatch(log, /loaded bootstrap\.ldif/);
    assert.equal((await bind('cn=readonly', 'readonly-secret-2')).code, 0);
  });
});
