import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { cliEnv, runHiveCli } from '../../test-support/hive-cli.js';
import { createRepo, startLdapHive, type LdapHive } from '../../test-support/ldap-hive.js';
import { readEntry } from '../../test-support/ldap-tools.js';
import { Repository } from './repository.entity.js';

describe('repositories with BORGHIVE_ACCOUNTS=ldap while the directory is down', () => {
  let ctx: LdapHive;

  before(async () => {
    ctx = await startLdapHive();
  });
  after(async () => {
    await ctx?.slapd.start(); // a failed test may have left it stopped
    await ctx?.dispose();
  });

  const repositoryNames = async () => {
    const r = await ctx.hive.gql<{ repositories: { name: string }[] }>(
      ctx.hive.adminToken,
      '{ repositories { name } }',
    );
    return r.data?.repositories.map((repo) => repo.name);
  };
  const rowCount = () => ctx.hive.services.orm.em.fork().count(Repository, {});

  it('createRepository fails with a clear error, the database is unchanged, nothing is half-written', async (t) => {
    const kept = await createRepo(ctx.hive, 'before-outage'); // the hive has a bound session
    await ctx.slapd.stop();
    t.after(() => ctx.slapd.start());
    const r = await ctx.hive.gql<{ createRepository: { repoUser: string } }>(
      ctx.hive.adminToken,
      'mutation { createRepository(input: { name: "during-outage" }) { repoUser } }',
    );
    t.diagnostic(`error: ${JSON.stringify(r.errors)}`);
    assert.equal(r.data, null);
    const [error] = r.errors ?? [];
    assert.equal(error?.extensions?.code, 'INTERNAL_SERVER_ERROR');
    assert.equal(
      error?.message,
      "the repository was not created: the account backend failed; see the hive's log",
    );
    assert.deepEqual(error?.extensions, {
      code: 'INTERNAL_SERVER_ERROR',
      retryable: true,
      reason: 'ACCOUNT_BACKEND_UNAVAILABLE',
    });
    const answer = JSON.stringify(r);
    for (const secret of [ctx.slapd.url, String(ctx.slapd.port), 'ldap://', ctx.slapd.bindDn]) {
      assert.ok(!answer.includes(secret), `the answer does not name ${secret}: ${answer}`);
    }
    assert.deepEqual(await repositoryNames(), ['before-outage']);
    assert.equal(await rowCount(), 1);
    const users = (await ctx.hive.services.orm.em.fork().find(Repository, {})).map((repo) => repo.repoUser);
    assert.deepEqual(users, [kept.repoUser]);

    await ctx.slapd.start();
    assert.deepEqual(await ctx.posixUids(), [kept.repoUser], 'no entry of the failed repository');
    const again = await createRepo(ctx.hive, 'during-outage');
    assert.notEqual(
      await readEntry(ctx.slapd, ctx.dn(again.repoUser)),
      undefined,
      'the hive reconnects by itself',
    );
    assert.ok(existsSync(`${ctx.hive.config.repoPath}/${again.repoUser}`));
  });

  it('deleteRepository still deletes; accounts sync (--dry-run, then for real) removes the orphan', async (t) => {
    const doomed = await createRepo(ctx.hive, 'doomed');
    const before = await ctx.posixUids();
    await ctx.slapd.stop();
    t.after(() => ctx.slapd.start());
    const r = await ctx.hive.gql<{ deleteRepository: boolean }>(
      ctx.hive.adminToken,
      'mutation($id: ID!) { deleteRepository(id: $id) }',
      { id: doomed.id },
    );
    assert.equal(r.data?.deleteRepository, true, JSON.stringify(r.errors));
    assert.deepEqual(await repositoryNames(), ['before-outage', 'during-outage']);
    await ctx.slapd.start();
    assert.deepEqual(await ctx.posixUids(), before, 'the entry stays while the directory is down');

    const env = cliEnv(ctx.hive.config, ctx.ldapEnv);
    const dry = await runHiveCli(['accounts', 'sync', '--dry-run'], env);
    t.diagnostic(`accounts sync --dry-run:\n${dry.stdout}`);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`^1 would be removed: ${doomed.repoUser}$`, 'm'));
    assert.match(dry.stdout, /^0 account\(s\) would be created$/m);
    assert.match(dry.stdout, /^2 unchanged$/m);
    assert.deepEqual(await ctx.posixUids(), before, 'a dry run changes nothing');

    const sync = await runHiveCli(['accounts', 'sync'], env);
    t.diagnostic(`accounts sync:\n${sync.stdout}`);
    assert.equal(sync.code, 0, sync.stderr);
    assert.match(sync.stdout, new RegExp(`^1 were removed: ${doomed.repoUser}$`, 'm'));
    assert.equal(await readEntry(ctx.slapd, ctx.dn(doomed.repoUser)), undefined);
    assert.deepEqual(
      await ctx.posixUids(),
      before.filter((user) => user !== doomed.repoUser),
    );
    const quiet = await runHiveCli(['accounts', 'sync'], env);
    assert.match(quiet.stdout, /^0 were removed$/m);
  });

  it('accounts sync fails loudly (exit 1, the directory named) while the directory is down', async () => {
    await ctx.slapd.stop();
    const sync = await runHiveCli(['accounts', 'sync'], cliEnv(ctx.hive.config, ctx.ldapEnv));
    await ctx.slapd.start();
    assert.equal(sync.code, 1);
    assert.match(sync.stderr, new RegExp(`the directory at ${ctx.slapd.url} is unreachable`));
  });
});
