import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { codeOf, createRepo } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { Repository } from './repository.entity.js';

const GiB = 1024 ** 3;
type Row = { mode: string; quotaBytes: number | null };

for (const dialect of dialects) {
  describe(`quotas of rsync repositories on ${dialect}`, () => {
    let hive: TestHive;
    let alice: { id: string; token: string };
    before(async () => {
      hive = await startTestHive({ dialect });
      alice = await hive.newUser('alice');
    });
    after(() => hive.dispose());

    const row = async (id: string): Promise<Row> => {
      const r = await hive.gql<{ repository: Row }>(
        alice.token,
        'query($id:ID!){repository(id:$id){mode quotaBytes}}',
        {
          id,
        },
      );
      if (!r.data?.repository) throw new Error(JSON.stringify(r.errors));
      return r.data.repository;
    };
    const update = (id: string, input: Record<string, unknown>) =>
      hive.gql(
        alice.token,
        'mutation($id:ID!,$i:UpdateRepositoryInput!){updateRepository(id:$id,input:$i){id}}',
        {
          id,
          i: input,
        },
      );
    const problem = (r: Awaited<ReturnType<typeof update>>) => r.errors?.[0]?.extensions?.problems?.[0];

    it('refuses a quota on IMPORT and EXPORT at creation (rrsync cannot enforce one), and creates nothing', async () => {
      for (const mode of ['IMPORT', 'EXPORT']) {
        const r = await hive.gql(
          alice.token,
          'mutation($i:CreateRepositoryInput!){createRepository(input:$i){id}}',
          { i: { name: `q-${mode}`, mode, quotaBytes: GiB } },
        );
        assert.equal(codeOf(r), 'BAD_USER_INPUT', mode);
        assert.equal(problem(r)?.field, 'quotaBytes');
        assert.match(problem(r)?.message ?? '', /rsync.*BORG repositories only/);
      }
      const list = await hive.gql<{ repositories: { name: string }[] }>(alice.token, '{repositories{name}}');
      assert.deepEqual(list.data?.repositories, []);
      const plain = await createRepo(hive, alice.token, { name: 'q-import', mode: 'IMPORT', quotaBytes: 0 });
      assert.deepEqual(await row(plain.id), { mode: 'IMPORT', quotaBytes: null });
      const borg = await createRepo(hive, alice.token, { name: 'q-borg', quotaBytes: GiB });
      assert.deepEqual(await row(borg.id), { mode: 'BORG', quotaBytes: GiB });
    });

    it('refuses setting a quota on an rsync repository and a change to IMPORT/EXPORT keeping one', async () => {
      const sync = await createRepo(hive, alice.token, { name: 'u-export', mode: 'EXPORT' });
      const set = await update(sync.id, { quotaBytes: GiB });
      assert.equal(codeOf(set), 'BAD_USER_INPUT');
      assert.equal(problem(set)?.field, 'quotaBytes');
      assert.deepEqual(await row(sync.id), { mode: 'EXPORT', quotaBytes: null });

      const borg = await createRepo(hive, alice.token, { name: 'u-borg', quotaBytes: GiB });
      const toImport = await update(borg.id, { mode: 'IMPORT' });
      assert.equal(codeOf(toImport), 'BAD_USER_INPUT');
      assert.equal(problem(toImport)?.field, 'mode');
      const both = await update(borg.id, { mode: 'EXPORT', quotaBytes: GiB });
      assert.equal(codeOf(both), 'BAD_USER_INPUT');
      assert.deepEqual(await row(borg.id), { mode: 'BORG', quotaBytes: GiB }, 'left as it was');
      assert.equal((await update(borg.id, { mode: 'IMPORT', quotaBytes: 0 })).errors, undefined);
      assert.deepEqual(await row(borg.id), { mode: 'IMPORT', quotaBytes: null });
    });

    it('an rsync repository that already has a quota keeps working', async () => {
      const old = await createRepo(hive, alice.token, { name: 'legacy', mode: 'IMPORT' });
      const em = hive.services.orm.em.fork() as Em;
      await em.nativeUpdate(Repository, { id: Number(old.id) }, { quotaBytes: GiB });
      assert.equal((await update(old.id, { alertAfterDays: 2 })).errors, undefined);
      assert.equal(
        (await update(old.id, { mode: 'IMPORT' })).errors,
        undefined,
        'the same mode is no change',
      );
      assert.deepEqual(await row(old.id), { mode: 'IMPORT', quotaBytes: GiB });
      assert.equal(codeOf(await update(old.id, { mode: 'EXPORT' })), 'BAD_USER_INPUT');
      assert.equal(
        (await update(old.id, { mode: 'BORG' })).errors,
        undefined,
        'back to borg serve, which enforces it',
      );
      assert.deepEqual(await row(old.id), { mode: 'BORG', quotaBytes: GiB });
    });
  });
}
