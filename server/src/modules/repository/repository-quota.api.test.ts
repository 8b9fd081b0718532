import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../test-support/databases.js';
import { codeOf, createRepo } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

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

    it('takes a quota on IMPORT and EXPORT at creation (the hive enforces it at login)', async () => {
      for (const mode of ['IMPORT', 'EXPORT']) {
        const repo = await createRepo(hive, alice.token, { name: `q-${mode}`, mode, quotaBytes: GiB });
        assert.deepEqual(await row(repo.id), { mode, quotaBytes: GiB });
      }
      const plain = await createRepo(hive, alice.token, { name: 'q-import', mode: 'IMPORT', quotaBytes: 0 });
      assert.deepEqual(await row(plain.id), { mode: 'IMPORT', quotaBytes: null });
      const borg = await createRepo(hive, alice.token, { name: 'q-borg', quotaBytes: GiB });
      assert.deepEqual(await row(borg.id), { mode: 'BORG', quotaBytes: GiB });
    });

    it('a quota is set on an rsync repository and kept across a change of mode', async () => {
      const sync = await createRepo(hive, alice.token, { name: 'u-export', mode: 'EXPORT' });
      assert.equal((await update(sync.id, { quotaBytes: GiB })).errors, undefined);
      assert.deepEqual(await row(sync.id), { mode: 'EXPORT', quotaBytes: GiB });

      const borg = await createRepo(hive, alice.token, { name: 'u-borg', quotaBytes: GiB });
      assert.equal((await update(borg.id, { mode: 'IMPORT' })).errors, undefined);
      assert.deepEqual(await row(borg.id), { mode: 'IMPORT', quotaBytes: GiB });
      assert.equal((await update(borg.id, { mode: 'BORG' })).errors, undefined);
      assert.deepEqual(await row(borg.id), { mode: 'BORG', quotaBytes: GiB });
      assert.equal((await update(borg.id, { mode: 'EXPORT', quotaBytes: 0 })).errors, undefined);
      assert.deepEqual(await row(borg.id), { mode: 'EXPORT', quotaBytes: null });
    });

    it('a quota below 10 MiB is still refused, on every mode, and nothing is made', async () => {
      for (const mode of ['BORG', 'IMPORT', 'EXPORT']) {
        const r = await hive.gql(
          alice.token,
          'mutation($i:CreateRepositoryInput!){createRepository(input:$i){id}}',
          { i: { name: `small-${mode}`, mode, quotaBytes: 1024 } },
        );
        assert.equal(codeOf(r), 'BAD_USER_INPUT', mode);
        assert.equal(problem(r)?.field, 'quotaBytes');
      }
      const list = await hive.gql<{ repositories: { name: string }[] }>(alice.token, '{repositories{name}}');
      assert.ok(!list.data?.repositories.some((r) => r.name.startsWith('small-')));
    });
  });
}
