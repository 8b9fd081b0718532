import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backgroundJobs } from '../../app.js';
import type { Em } from '../../db/orm.js';
import { cliEnv, runHiveCli } from '../../test-support/hive-cli.js';
import {
  createRepo,
  REPO_FIELDS,
  startLdapHive,
  type LdapHive,
  type RepoRow,
} from '../../test-support/ldap-hive.js';
import { foreignAccountLdif, ldapTool, readEntry } from '../../test-support/ldap-tools.js';
import type { SyncReport } from './accounts-sync.js';
import { Repository } from './repository.entity.js';

describe('repositories with BORGHIVE_ACCOUNTS=ldap (real hive, real slapd, GraphQL API)', () => {
  let ctx: LdapHive;
  let repo: RepoRow;

  before(async () => {
    ctx = await startLdapHive();
  });
  after(async () => {
    await ctx?.dispose();
  });

  const entry = (user: string) => readEntry(ctx.slapd, ctx.dn(user));

  it('createRepository writes uid=<repo user> with the original layout', async () => {
    repo = await createRepo(ctx.hive, 'laptop');
    const written = await readEntry(ctx.slapd, ctx.dn(repo.repoUser), ['*']);
    assert.deepEqual(written, {
      dn: [ctx.dn(repo.repoUser)],
      objectClass: ['organizationalPerson', 'posixAccount', 'shadowAccount'],
      uid: [repo.repoUser],
      cn: [repo.repoUser],
      sn: [repo.repoUser],
      uidNumber: [String(repo.uid)],
      gidNumber: [String(repo.gid)],
      gecos: ['Borghive Repo User'],
      homeDirectory: [`${ctx.hive.config.repoPath}/${repo.repoUser}`],
      loginShell: ['/bin/bash'],
    });
    assert.equal(repo.path, `${ctx.hive.config.repoPath}/${repo.repoUser}/laptop`);
  });

  it('updateRepository (rename) leaves the entry alone: home is <repo path>/<repo user>, not the repository', async () => {
    const before = await entry(repo.repoUser);
    const r = await ctx.hive.gql<{ updateRepository: RepoRow }>(
      ctx.hive.adminToken,
      `mutation($id: ID!) { updateRepository(id: $id, input: { name: "laptop-2", alertAfterDays: 3 }) { ${REPO_FIELDS} } }`,
      { id: repo.id },
    );
    assert.equal(r.errors, undefined);
    assert.equal(r.data?.updateRepository.path, `${ctx.hive.config.repoPath}/${repo.repoUser}/laptop-2`);
    assert.deepEqual(await entry(repo.repoUser), before, 'not even modifyTimestamp changed');
  });

  it('a changed repo path (BORGHIVE_REPO_PATH) or uid/gid is written by accounts sync', async () => {
    const em = ctx.hive.services.orm.em.fork() as Em;
    await em.nativeUpdate(Repository, { id: Number(repo.id) }, { uid: repo.uid + 500, gid: 1001 });
    const moved = cliEnv(ctx.hive.config, { ...ctx.ldapEnv, BORGHIVE_REPO_PATH: '/srv/moved-repos' });
    const sync = await runHiveCli(['accounts', 'sync'], moved);
    assert.equal(sync.code, 0, sync.stderr);
    assert.match(sync.stdout, new RegExp(`^1 were updated: ${repo.repoUser}$`, 'm'));
    const now = await entry(repo.repoUser);
    assert.deepEqual(now?.homeDirectory, [`/srv/moved-repos/${repo.repoUser}`]);
    assert.deepEqual(now?.uidNumber, [String(repo.uid + 500)]);
    assert.deepEqual(now?.gidNumber, ['1001']);

    await em.nativeUpdate(Repository, { id: Number(repo.id) }, { uid: repo.uid, gid: repo.gid });
    const back = await runHiveCli(['accounts', 'sync'], cliEnv(ctx.hive.config, ctx.ldapEnv));
    assert.match(back.stdout, new RegExp(`^1 were updated: ${repo.repoUser}$`, 'm'));
    assert.deepEqual((await entry(repo.repoUser))?.homeDirectory, [
      `${ctx.hive.config.repoPath}/${repo.repoUser}`,
    ]);
  });

  it('drift made by hand with ldapmodify is repaired by the accounts-sync job; foreign entries stay', async () => {
    const other = await createRepo(ctx.hive, 'desktop');
    const foreignDn = `uid=someone1,${ctx.slapd.baseDn}`;
    await ldapTool('ldapadd', ctx.slapd, [], foreignAccountLdif(foreignDn, 'someone1', 4999));
    const foreignBefore = await readEntry(ctx.slapd, foreignDn);
    const clean = await entry(other.repoUser);
    await ldapTool(
      'ldapmodify',
      ctx.slapd,
      [],
      [
        `dn: ${ctx.dn(repo.repoUser)}`,
        'changetype: modify',
        'replace: uidNumber',
        'uidNumber: 1',
        '-',
        'replace: homeDirectory',
        'homeDirectory: /root',
        '',
        `dn: ${ctx.dn(other.repoUser)}`,
        'changetype: modify',
        'replace: loginShell',
        'loginShell: /usr/sbin/nologin',
        '-',
        'replace: sn',
        'sn: Somebody',
        '',
      ].join('\n'),
    );

    const job = backgroundJobs(ctx.hive.services).find((j) => j.name === 'accounts-sync');
    const report = (await job?.run()) as SyncReport;
    assert.deepEqual(report.updated, [repo.repoUser, other.repoUser].sort());
    assert.deepEqual([report.created, report.removed], [[], []]);
    const fixed = await readEntry(ctx.slapd, ctx.dn(repo.repoUser), ['uidNumber', 'homeDirectory']);
    assert.deepEqual(fixed, {
      dn: [ctx.dn(repo.repoUser)],
      uidNumber: [String(repo.uid)],
      homeDirectory: [`${ctx.hive.config.repoPath}/${repo.repoUser}`],
    });
    const { modifyTimestamp, entryCSN, modifiersName, ...repaired } = (await entry(other.repoUser)) ?? {};
    const { modifyTimestamp: t0, entryCSN: c0, modifiersName: m0, ...original } = clean ?? {};
    assert.ok(modifyTimestamp && entryCSN && modifiersName && t0 && c0 && m0);
    assert.deepEqual(repaired, original, 'loginShell and sn are back');
    assert.deepEqual(await readEntry(ctx.slapd, foreignDn), foreignBefore);
    assert.equal(((await job?.run()) as SyncReport).unchanged, 2, 'the next run finds nothing to do');
  });

  it('deleteRepository removes the entry and no other', async () => {
    const r = await ctx.hive.gql<{ deleteRepository: boolean }>(
      ctx.hive.adminToken,
      'mutation($id: ID!) { deleteRepository(id: $id) }',
      { id: repo.id },
    );
    assert.equal(r.data?.deleteRepository, true, JSON.stringify(r.errors));
    assert.equal(await entry(repo.repoUser), undefined);
    const [other] = await ctx.hive.services.orm.em.fork().find(Repository, {});
    assert.deepEqual(await ctx.posixUids(), [other?.repoUser, 'someone1'].sort());
  });
});
