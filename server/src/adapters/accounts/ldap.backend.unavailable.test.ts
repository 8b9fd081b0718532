import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { readEntry } from '../../test-support/ldap-tools.js';
import { startSlapd, type TestSlapd } from '../../test-support/slapd.js';
import { AccountsUnavailableError, type RepoAccount } from './accounts.backend.js';
import { reconcileAccounts } from './accounts.reconciler.js';
import { LdapAccountsBackend } from './ldap.backend.js';

const logger = pino({ level: 'silent' });
const base = 'dc=borghive,dc=local';
const account = (user: string, uid: number): RepoAccount => ({
  user,
  uid,
  gid: 1000,
  home: `/srv/repos/${user}`,
});

describe('LdapAccountsBackend when the directory is down', () => {
  let slapd: TestSlapd;
  let backend: LdapAccountsBackend;

  before(async () => {
    slapd = await startSlapd();
    backend = new LdapAccountsBackend({ ...slapd, userBaseDn: base, timeoutMs: 1000 }, logger);
  });
  after(async () => {
    await backend?.close();
    await slapd?.dispose();
  });

  it('fails ensure with AccountsUnavailableError and leaves nothing half-written', async (t) => {
    await backend.ensure(account('up000001', 3001)); // the session is bound before the outage
    await slapd.stop();
    const started = Date.now();
    const error = await backend.ensure(account('dn000001', 3002)).catch((caught: unknown) => caught);
    t.diagnostic(`ensure failed after ${Date.now() - started} ms: ${String(error)}`);
    assert.ok(error instanceof AccountsUnavailableError);
    assert.match(error.message, new RegExp(`the directory at ${slapd.url} is unreachable: .*ECONNREFUSED`));
    await assert.rejects(backend.list(), AccountsUnavailableError);

    await slapd.start();
    assert.equal(await readEntry(slapd, `uid=dn000001,${base}`), undefined);
    assert.deepEqual(
      (await backend.list()).map((a) => a.user),
      ['up000001'],
      'reconnects by itself',
    );
    await backend.ensure(account('dn000001', 3002));
    assert.equal((await readEntry(slapd, `uid=dn000001,${base}`))?.uidNumber?.[0], '3002');
  });

  it('leaves an orphan when stopped during a delete; the next reconcile removes it', async () => {
    await slapd.stop();
    await assert.rejects(backend.remove('dn000001'), AccountsUnavailableError);
    await slapd.start();
    assert.notEqual(await readEntry(slapd, `uid=dn000001,${base}`), undefined, 'the orphan is still there');

    const result = await reconcileAccounts(backend, [account('up000001', 3001)]);
    assert.deepEqual(result, { created: [], updated: [], removed: ['dn000001'], unchanged: 1 });
    assert.equal(await readEntry(slapd, `uid=dn000001,${base}`), undefined);
  });

  it('times out against a hung directory instead of waiting forever', async (t) => {
    const pid = Number(await readFile(path.join(slapd.dataDir, 'slapd.pid'), 'utf8'));
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const error = await backend.ensure(account('hu000001', 3003)).catch((caught: unknown) => caught);
      t.diagnostic(`ensure failed after ${Date.now() - started} ms: ${String(error)}`);
      assert.ok(error instanceof AccountsUnavailableError);
      assert.match(error.message, /unreachable: .*(timed out|timeout)/i);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await backend.ensure(account('hu000001', 3003));
    assert.deepEqual((await backend.list()).map((a) => a.user).sort(), ['hu000001', 'up000001']);
  });

  it('reports a wrong bind password as unavailable with the reason', async () => {
    const wrong = new LdapAccountsBackend({ ...slapd, bindPassword: 'wrong', userBaseDn: base }, logger);
    try {
      await assert.rejects(wrong.list(), (error: unknown) => {
        assert.ok(error instanceof AccountsUnavailableError);
        assert.match(error.message, /refused the bind as cn=admin,dc=borghive,dc=local/);
        return true;
      });
    } finally {
      await wrong.close();
    }
  });
});
