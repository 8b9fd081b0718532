import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { foreignAccountLdif, ldapTool, readEntry } from '../../test-support/ldap-tools.js';
import { startSlapd, type TestSlapd } from '../../test-support/slapd.js';
import { AccountConflictError, type RepoAccount } from './accounts.backend.js';
import { LdapAccountsBackend } from './ldap.backend.js';

const logger = pino({ level: 'silent' });

describe('LdapAccountsBackend against a real slapd', () => {
  let slapd: TestSlapd;
  let backend: LdapAccountsBackend;
  const base = 'dc=borghive,dc=local';
  const account: RepoAccount = { user: 'ab12cd34', uid: 1111, gid: 1000, home: '/srv/repos/ab12cd34' };

  before(async () => {
    slapd = await startSlapd();
    backend = new LdapAccountsBackend({ ...slapd, userBaseDn: base }, logger);
  });
  after(async () => {
    await backend?.close();
    await slapd?.dispose();
  });

  it('creates the entry exactly as the original wrote it', async () => {
    await backend.ensure(account);
    const entry = await readEntry(slapd, `uid=ab12cd34,${base}`, ['*']);
    assert.deepEqual(entry, {
      dn: [`uid=ab12cd34,${base}`],
      objectClass: ['organizationalPerson', 'posixAccount', 'shadowAccount'],
      uid: ['ab12cd34'],
      cn: ['ab12cd34'],
      sn: ['ab12cd34'],
      uidNumber: ['1111'],
      gidNumber: ['1000'],
      gecos: ['Borghive Repo User'],
      homeDirectory: ['/srv/repos/ab12cd34'],
      loginShell: ['/bin/bash'],
    });
    assert.deepEqual(await backend.list(), [account]);
  });

  it('writes nothing when the entry already matches', async () => {
    const before = await readEntry(slapd, `uid=ab12cd34,${base}`, ['entryCSN']);
    await backend.ensure(account);
    const after = await readEntry(slapd, `uid=ab12cd34,${base}`, ['entryCSN']);
    assert.deepEqual(after, before);
  });

  it('repairs only the drifted attributes (uid, gid, home, shell)', async () => {
    await ldapTool(
      'ldapmodify',
      slapd,
      [],
      [
        `dn: uid=ab12cd34,${base}`,
        'changetype: modify',
        'replace: uidNumber',
        'uidNumber: 4242',
        '-',
        'replace: loginShell',
        'loginShell: /usr/sbin/nologin',
        '-',
        'add: description',
        'description: added by an operator',
        '',
      ].join('\n'),
    );
    const moved = { ...account, gid: 1001, home: '/data/repos/ab12cd34' };
    await backend.ensure(moved);
    const entry = await readEntry(slapd, `uid=ab12cd34,${base}`, ['*']);
    assert.deepEqual(entry?.uidNumber, ['1111']);
    assert.deepEqual(entry?.gidNumber, ['1001']);
    assert.deepEqual(entry?.homeDirectory, ['/data/repos/ab12cd34']);
    assert.deepEqual(entry?.loginShell, ['/bin/bash']);
    assert.deepEqual(entry?.description, ['added by an operator'], 'attributes we do not manage stay');
    assert.deepEqual(await backend.list(), [moved]);
  });

  it('lists and touches only its own entries', async () => {
    const foreign = [
      { dn: `uid=zz99yy88,${base}`, ldif: foreignAccountLdif(`uid=zz99yy88,${base}`, 'zz99yy88', 5000) },
      {
        dn: `uid=alice,${base}`,
        ldif: foreignAccountLdif(`uid=alice,${base}`, 'alice', 5001, 'Borghive Repo User'),
      },
      {
        dn: `uid=qq11ww22,ou=people,${base}`,
        ldif: foreignAccountLdif(`uid=qq11ww22,ou=people,${base}`, 'qq11ww22', 5002, 'Borghive Repo User'),
      },
    ];
    await ldapTool('ldapadd', slapd, [], foreign.map((item) => item.ldif).join('\n'));
    const before = await Promise.all(foreign.map((item) => readEntry(slapd, item.dn)));

    assert.deepEqual(
      (await backend.list()).map((a) => a.user),
      ['ab12cd34'],
    );
    await assert.rejects(
      backend.ensure({ user: 'zz99yy88', uid: 1200, gid: 1000, home: '/srv/repos/zz99yy88' }),
      AccountConflictError,
    );
    await backend.remove('zz99yy88');
    await backend.remove('qq11ww22');

    const afterwards = await Promise.all(foreign.map((item) => readEntry(slapd, item.dn)));
    assert.deepEqual(afterwards, before);
  });

  it('removes its entry and treats a missing one as removed', async () => {
    await backend.remove('ab12cd34');
    assert.equal(await readEntry(slapd, `uid=ab12cd34,${base}`), undefined);
    await backend.remove('ab12cd34');
    assert.deepEqual(await backend.list(), []);
  });

  it('refuses names and ids that cannot be repo users, before writing', async () => {
    await assert.rejects(backend.ensure({ ...account, user: 'x,dc=evil' }), RangeError);
    await assert.rejects(backend.ensure({ ...account, uid: 0 }), RangeError);
    await assert.rejects(backend.remove('ROOT'), RangeError);
  });
});
