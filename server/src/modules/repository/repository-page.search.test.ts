import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import type { AuthInfo } from '../auth/index.js';
import { dialects } from '../../test-support/databases.js';
import { createGroup, defaultLocationId } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { seedRepositories } from '../../test-support/seed-repositories.js';
import { HealthState } from './health-state.js';
import { readRepositoryPage, SEARCH_IDS } from './repository-page.js';
import { RepositoryOrder } from './repository-page.types.js';
import type { RepositoryView } from './repository.view.js';

const DAY = 86_400_000;

const auth = (userId: number, isAdmin: boolean, groupIds: number[]): AuthInfo => ({
  userId,
  username: `u${userId}`,
  isAdmin,
  groupIds,
  scope: 'FULL' as AuthInfo['scope'],
  via: 'session',
  credentialId: 0,
  locationId: null,
});

/** What the search means (contract §8): a case-insensitive substring of the name, repo user or owner. */
const matches = (view: RepositoryView, search: string): boolean => {
  const s = search.trim().toLowerCase();
  return [view.name, view.repoUser, view.owner.username].some((text) => text.toLowerCase().includes(s));
};

for (const dialect of dialects) {
  describe(`repositoryPage search on ${dialect}`, () => {
    let hive: TestHive;
    let em: Em;
    let owners: { id: number; username: string }[];
    let viewer: AuthInfo;
    const admin = auth(1, true, []);

    /** Every page of `first` rows; the rows and each page's totalCount. */
    const walk = async (who: AuthInfo, args: Record<string, unknown>, searchIds = SEARCH_IDS) => {
      const rows: RepositoryView[] = [];
      const totals = new Set<number>();
      let cursor: string | null = null;
      for (;;) {
        const page = await readRepositoryPage(
          em.fork() as Em,
          who,
          {
            first: 4,
            after: cursor,
            filter: null,
            orderBy: RepositoryOrder.ATTENTION,
            reverse: false,
            ...args,
          },
          searchIds,
        );
        rows.push(...page.edges.map((e) => e.node));
        totals.add(page.totalCount);
        if (!page.pageInfo.hasNextPage) return { rows, totals: [...totals] };
        cursor = page.pageInfo.endCursor;
      }
    };

    before(async () => {
      hive = await startTestHive({ dialect });
      em = hive.services.orm.em.fork() as Em;
      const created = await Promise.all(
        ['Olga', 'repo_fan', 'x%y'].map(async (name) => {
          // usernames follow the rule (lower case): the search must still find them in any case
          const username = name.toLowerCase().replace(/[^a-z_]/g, '_');
          return { id: Number((await hive.newUser(username)).id), username };
        }),
      );
      owners = created;
      const location = Number(await defaultLocationId(hive));
      // names as the rule allows them; the searches also try LIKE's special characters
      const names = [
        'alpha',
        'ALPHA-2',
        'Alphabet',
        'beta_1',
        'beta.1',
        'betax1',
        'gamma-1',
        'OLGA-backup',
        'repo42',
        'Repo420',
        'x42y',
        'delta.x',
        'zeta',
        'Eta_ALP',
      ];
      const now = Date.now();
      await seedRepositories(
        em,
        names.flatMap((name, i) =>
          owners.map((owner, o) => ({
            name,
            ownerId: owner.id,
            locationId: location,
            isOpen: (i + o) % 5 === 0,
            usageBytes: (i * 3 + o) % 4 === 0 ? null : i * 10 + o,
            lastUpdatedAt: (i + o) % 3 === 0 ? null : new Date(now - ((i + o) % 4) * DAY),
            alertAfterDays: i % 2 ? 1 : null,
          })),
        ),
      );
      // the viewer owns nothing and sees the first owner's repositories through a group
      const seer = await hive.newUser('seer');
      const group = Number(await createGroup(hive, 'search-seers', [seer.id]));
      await em
        .getConnection()
        .execute(
          'insert into repository_groups (repository_id, group_id) select id, ? from repositories where owner_id = ?',
          [group, owners[0]!.id],
          'run',
        );
      viewer = auth(Number(seer.id), false, [group]);
    });
    after(() => hive.dispose());

    it('finds exactly the rows the reference filter keeps, in order, on every page and either way of reading', async () => {
      const repoUser = (await walk(admin, {})).rows[5]!.repoUser;
      const searches = [
        'alp',
        'ALP',
        ' alpha ',
        'a',
        '42',
        'repo4',
        'olga',
        'OLGA',
        'x%',
        '%',
        '_',
        'beta_',
        'a!',
        '!',
        'REPO_F',
        repoUser.slice(1, 5).toUpperCase(),
        repoUser,
        'ä',
        'no such text',
      ];
      for (const who of [admin, viewer])
        for (const orderBy of [RepositoryOrder.ATTENTION, RepositoryOrder.NAME])
          for (const reverse of [false, true]) {
            const everything = (await walk(who, { orderBy, reverse })).rows;
            for (const search of searches) {
              const expected = everything.filter((v) => matches(v, search)).map((v) => v.id);
              // by ids first (few matches), and the broad way (page and count each over the table)
              for (const searchIds of [SEARCH_IDS, 2]) {
                const { rows, totals } = await walk(who, { orderBy, reverse, filter: { search } }, searchIds);
                const label = `${who.isAdmin ? 'admin' : 'viewer'} ${orderBy}${reverse ? ' reversed' : ''} "${search}" ids<=${searchIds}`;
                assert.deepEqual(
                  rows.map((v) => v.id),
                  expected,
                  label,
                );
                assert.deepEqual(totals, [expected.length], `${label}: totalCount`);
              }
            }
          }
    });

    it('combines the search with the other filters', async () => {
      const everything = (await walk(admin, {})).rows;
      const filter = {
        search: 'ALP',
        ownerId: String(owners[1]!.id),
        states: [HealthState.NEVER_BACKED_UP, HealthState.OK],
      };
      const expected = everything
        .filter((v) => matches(v, 'alp') && v.owner.id === owners[1]!.id)
        .map((v) => v.id);
      const all = (await walk(admin, { filter: { search: 'ALP', ownerId: String(owners[1]!.id) } })).rows;
      assert.deepEqual(
        all.map((v) => v.id),
        expected,
      );
      const some = await walk(admin, { filter });
      const kept = new Set(all.map((v) => v.id));
      assert.ok(
        some.rows.every((v) => kept.has(v.id)),
        'the states filter keeps some of them',
      );
      assert.deepEqual(some.totals, [some.rows.length]);
    });
  });
}
