import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { foreignAccountLdif, ldapTool, readEntry } from '../../test-support/ldap-tools.js';
import { startSlapd, type TestSlapd } from '../../test-support/slapd.js';
import type { RepoAccount } from './accounts.backend.js';
import { reconcileAccounts } from './accounts.reconciler.js';
import { LdapAccountsBackend } from './ldap.backend.js';
import { NoneAccountsBackend } from './none.backend.js';

const logger = pino({ level: 'silent' });
const base = 'dc=borghive,dc=local';

function repoAccount(index: number): RepoAccount {
  const user = `rc${String(index).padStart(6, '0')}`;
  return { user, uid: 2000 + index, gid: 1000, home: `/srv/repos/${user}` };
}

describe('reconcileAccounts against a real slapd', () => {
  let slapd: TestSlapd;
  let backend: LdapAccountsBackend;
  const desired = Array.from({ length: 25 }, (_, index) => repoAccount(index));
  const foreignDn = `uid=fo00re00,${base}`;

  before(async () => {
    slapd = await startSlapd();
    backend = new LdapAccountsBackend({ ...slapd, userBaseDn: base }, logger);
    await ldapTool('ldapadd', slapd, [], foreignAccountLdif(foreignDn, 'fo00re00', 7000));
  });
  after(async () => {
    await backend?.close();
    await slapd?.dispose();
  });

  it('creates every missing account, and a second run changes nothing', async () => {
    const first = await reconcileAccounts(backend, desired, { concurrency: 4 });
    assert.deepEqual(first, { created: desired.map((a) => a.user), updated: [], removed: [], unchanged: 0 });
    assert.deepEqual(sortByUser(await backend.list()), desired);

    const second = await reconcileAccounts(backend, desired);
    assert.deepEqual(second, { created: [], updated: [], removed: [], unchanged: 25 });
  });

  it('reports hand-made drift in a dry run without changing anything, then repairs it', async () => {
    await ldapTool(
      'ldapmodify',
      slapd,
      [],
      [
        `dn: uid=rc000003,${base}`,
        'changetype: modify',
        'replace: homeDirectory',
        'homeDirectory: /elsewhere',
        '',
        `dn: uid=rc000007,${base}`,
        'changetype: modify',
        'replace: gidNumber',
        'gidNumber: 0',
        '',
        `dn: uid=rc000011,${base}`,
        'changetype: delete',
        '',
      ].join('\n'),
    );
    const wanted = desired.filter((a) => a.user !== 'rc000024').concat(repoAccount(30));
    const expected = {
      created: ['rc000011', 'rc000030'],
      updated: ['rc000003', 'rc000007'],
      removed: ['rc000024'],
      unchanged: 21,
    };
    const before = await backend.list();
    const foreignBefore = await readEntry(slapd, foreignDn);

    assert.deepEqual(await reconcileAccounts(backend, wanted, { dryRun: true }), expected);
    assert.deepEqual(await backend.list(), before, 'a dry run writes nothing');

    assert.deepEqual(await reconcileAccounts(backend, wanted, { concurrency: 3 }), expected);
    assert.deepEqual(sortByUser(await backend.list()), sortByUser(wanted));
    assert.deepEqual(await readEntry(slapd, foreignDn), foreignBefore, 'the foreign entry is untouched');
  });

  it('removes every owned account when none is desired, and only those', async () => {
    const result = await reconcileAccounts(backend, []);
    assert.equal(result.removed.length, 25);
    assert.deepEqual(await backend.list(), []);
    assert.notEqual(await readEntry(slapd, foreignDn), undefined);
  });

  it('refuses a desired list with duplicates or invalid accounts before writing', async () => {
    await assert.rejects(reconcileAccounts(backend, [repoAccount(1), repoAccount(1)]), /desired twice/);
    await assert.rejects(
      reconcileAccounts(backend, [repoAccount(1), { ...repoAccount(2), user: 'Bad' }]),
      RangeError,
    );
    assert.deepEqual(await backend.list(), []);
  });
});

describe('reconcileAccounts with the none backend', () => {
  it('reports every desired account as created and writes nowhere', async () => {
    const result = await reconcileAccounts(new NoneAccountsBackend(), [repoAccount(1)], { dryRun: true });
    assert.deepEqual(result, { created: ['rc000001'], updated: [], removed: [], unchanged: 0 });
  });
});

function sortByUser(accounts: RepoAccount[]): RepoAccount[] {
  return [...accounts].sort((a, b) => a.user.localeCompare(b.user));
}
