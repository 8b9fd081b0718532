import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getNamedType, isNonNullType, isObjectType, type GraphQLObjectType } from 'graphql';
import { getSchema } from '../../graphql/schema.js';
import { dialects } from '../../test-support/databases.js';
import { addKey, createGroup, createRepo } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { recordStatements } from '../../test-support/statement-count.js';
import { READ_MODEL_TABLES } from './read-model.js';

/** Every field of the type, objects followed `depth` levels deep (optional arguments left out). */
function everything(type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const f of Object.values(type.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const inner = getNamedType(f.type);
    if (!isObjectType(inner)) parts.push(f.name);
    else if (depth > 0) parts.push(`${f.name} ${everything(inner, depth - 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** What the request's authentication and the cache's own version check read: not the read model. */
const NOT_READ_MODEL = new Set(['sessions', 'api_tokens', 'data_versions']);

const tablesOf = (sql: string) =>
  [...sql.matchAll(/\b(?:from|join|into|update)\s+[`"]?(\w+)[`"]?/gi)].map((m) => m[1]!.toLowerCase());

for (const dialect of dialects) {
  describe(`the repository read model on ${dialect}`, () => {
    let hive: TestHive;
    let alice: { id: string; token: string };
    before(async () => {
      hive = await startTestHive({ dialect });
      alice = await hive.newUser('alice');
      const bob = await hive.newUser('bob');
      const group = await createGroup(hive, `rm-${dialect}`, [alice.id, bob.id]);
      const key = await addKey(hive, alice.token, 'k1');
      const second = await addKey(hive, alice.token, 'k2');
      const repo = await createRepo(hive, alice.token, {
        name: 'model',
        sshKeyIds: [key.id],
        appendOnlySshKeyIds: [second.id],
        groupIds: [group],
        alertAfterDays: 3,
      });
      const uuid = (
        await hive.gql<{ repository: { pingUrl: string } }>(
          alice.token,
          `{ repository(id: ${repo.id}) { pingUrl } }`,
        )
      ).data!.repository.pingUrl;
      await fetch(`${uuid}/fail`, { method: 'POST', body: 'log' });
      await hive.services.orm.em
        .fork()
        .getConnection()
        .execute(
          'insert into repository_statistics (repository_id, usage_bytes, created_at) values (?, ?, ?)',
          [Number(repo.id), 42, hive.services.orm.em.getPlatform().processDateProperty(new Date())],
        );
    });
    after(() => hive.dispose());

    it('reads only tables the data_versions triggers track, all listed in READ_MODEL_TABLES', async () => {
      const schema = await getSchema();
      const repo = everything(schema.getType('Repository') as GraphQLObjectType, 2);
      const queries = [
        `{ repositories ${repo} }`,
        `{ repositoryPage(first: 5, filter: { search: "mod", states: [FAILED], groupId: 1 }) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node ${repo} } } }`,
        `{ repositorySummary(filter: { search: "alice", ownerId: ${alice.id} }) { total usageBytes neverBackedUp ok inProgress stale failed unknown } }`,
        `{ repository(id: 1) ${repo} }`,
      ];
      const read = new Set<string>();
      for (const token of [hive.adminToken, alice.token])
        for (const query of queries) {
          const spy = recordStatements(hive);
          const r = await hive.gql(token, `# ${Math.random()}\n${query}`);
          spy.stop();
          assert.equal(r.errors, undefined, JSON.stringify(r.errors));
          for (const text of spy.texts)
            for (const t of tablesOf(text)) if (!NOT_READ_MODEL.has(t)) read.add(t);
        }
      for (const t of ['repositories', 'repository_events', 'repository_statistics', 'ssh_keys', 'users'])
        assert.ok(read.has(t), `the spy saw ${t} read (it is not vacuous): ${[...read].join(', ')}`);
      const unlisted = [...read].filter((t) => !READ_MODEL_TABLES.includes(t));
      assert.deepEqual(unlisted, [], 'tables the read model reads but READ_MODEL_TABLES does not list');

      const triggers = await hive.services.orm.em
        .fork()
        .getConnection()
        .execute<{ name: string }[]>(
          dialect === 'sqlite'
            ? "select name from sqlite_master where type = 'trigger' and name like '%data_version'"
            : "select trigger_name as name from information_schema.triggers where trigger_schema = database() and trigger_name like '%data_version'",
        );
      const names = new Set(triggers.map((t) => t.name));
      for (const table of READ_MODEL_TABLES)
        for (const op of ['insert', 'update', 'delete'])
          assert.ok(names.has(`${table}_${op}_data_version`), `${table} has no ${op} trigger: not tracked`);
    });
  });
}
