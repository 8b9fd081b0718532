import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openOrm, type Em, type Orm } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { defaultLocationId } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { seedRepositories, type SeedRepository } from '../../test-support/seed-repositories.js';
import { RepositoryOrder } from './repository-page.types.js';

const PAGE = `query($after: String, $orderBy: RepositoryOrder, $reverse: Boolean) {
  repositoryPage(first: 7, after: $after, orderBy: $orderBy, reverse: $reverse) {
    pageInfo { hasNextPage endCursor } edges { node { id name } } } }`;

type Page = {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { id: string } }[];
};

const DAY = 86_400_000;
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

for (const dialect of dialects) {
  describe(`repositoryPage under concurrent inserts and deletes on ${dialect}`, () => {
    let hive: TestHive;
    let other: Orm;
    let location: number;
    let serial = 0;

    /** Rows spread over every order: names across the alphabet, some usage and backups, some stale. */
    const rows = (n: number, prefix: string): SeedRepository[] =>
      Array.from({ length: n }, () => {
        const i = serial++;
        return {
          name: `${letters[(i * 7) % letters.length]}${prefix}${i}`,
          ownerId: 1,
          locationId: location,
          usageBytes: i % 4 === 0 ? null : (i * 37) % 11,
          lastUpdatedAt: i % 3 === 0 ? null : new Date(Date.now() - (i % 5) * DAY),
          alertAfterDays: i % 5 === 0 ? 2 : null,
        };
      });
    const idsNamed = async (em: Em, prefix: string) =>
      (
        await em
          .getConnection()
          .execute<{ id: number }[]>('select id from repositories where name like ?', [`%${prefix}%`])
      ).map((r) => String(r.id));

    before(async () => {
      hive = await startTestHive({ dialect });
      other = await openOrm(hive.config.database); // another connection (pool): writes the hive never sees
      location = Number(await defaultLocationId(hive));
    });
    after(async () => {
      await other.close(true);
      await hive.dispose();
    });

    it('never skips or repeats a row present throughout the walk, in every order', async () => {
      for (const orderBy of Object.values(RepositoryOrder))
        for (const reverse of [false, true]) {
          const em = other.em.fork() as Em;
          const tag = `-${orderBy.toLowerCase()}${reverse ? 'r' : ''}-`;
          await seedRepositories(em, rows(40, `${tag}stay`));
          await seedRepositories(em, rows(20, `${tag}gone`));
          const stay = new Set(await idsNamed(em, `${tag}stay`));
          const doomed = await idsNamed(em, `${tag}gone`);
          const seen: string[] = [];
          let after: string | null = null;
          let churned = 0;
          for (;;) {
            const r: { data?: { repositoryPage: Page } | null; errors?: unknown } = await hive.gql<{
              repositoryPage: Page;
            }>(hive.adminToken, PAGE, {
              after,
              orderBy,
              reverse,
            });
            assert.equal(r.errors, undefined, JSON.stringify(r.errors));
            const p = r.data!.repositoryPage;
            seen.push(...p.edges.map((e) => e.node.id));
            if (!p.pageInfo.hasNextPage) break;
            after = p.pageInfo.endCursor;
            // between two pages another connection adds rows everywhere in the order and deletes others
            await seedRepositories(em, rows(3, `${tag}new`));
            const victims = doomed.splice(0, 2);
            if (victims.length)
              await em.getConnection().execute(`delete from repositories where id in (${victims.join(',')})`);
            churned++;
          }
          assert.ok(churned >= 5, `the walk crossed ${churned} changes`);
          assert.equal(
            new Set(seen).size,
            seen.length,
            `${orderBy}${reverse ? ' reversed' : ''}: a row came twice`,
          );
          const missing = [...stay].filter((id) => !seen.includes(id));
          assert.deepEqual(missing, [], `${orderBy}${reverse ? ' reversed' : ''}: rows skipped`);
        }
    });
  });
}
