import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../test-support/databases.js';
import { codeOf, createGroup, createRepo, defaultLocationId } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import type { Em } from '../../db/orm.js';
import { ATTENTION_RANK, HealthState } from './health-state.js';
import { RepositoryOrder } from './repository-page.types.js';

type Node = {
  id: string;
  name: string;
  repoUser: string;
  usageBytes: number | null;
  lastBackupAt: string | null;
  owner: { id: string; username: string };
  groups: { id: string }[];
  location: { id: string };
  health: { state: HealthState };
};
type Page = {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
};

const NODE =
  'id name repoUser usageBytes lastBackupAt owner { id username } groups { id } location { id } health { state }';
const PAGE = `query($first: Int, $after: String, $filter: RepositoryFilter, $orderBy: RepositoryOrder, $reverse: Boolean) {
  repositoryPage(first: $first, after: $after, filter: $filter, orderBy: $orderBy, reverse: $reverse) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${NODE} } } } }`;
const SUMMARY = `query($filter: RepositoryFilter) { repositorySummary(filter: $filter) {
  total usageBytes neverBackedUp ok inProgress stale failed unknown } }`;

const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const time = (d: string | null) => (d === null ? null : Date.parse(d));
const nullsFirst = (a: number | null, b: number | null) =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a - b;

/** The contract's orders (sdl.md), as the renderer's merge comparator writes them. */
export function reference(order: RepositoryOrder, reverse: boolean): (a: Node, b: Node) => number {
  const tie = (a: Node, b: Node) => binary(a.name, b.name) || Number(a.id) - Number(b.id);
  const by: Record<RepositoryOrder, (a: Node, b: Node) => number> = {
    ATTENTION: (a, b) => ATTENTION_RANK[a.health.state] - ATTENTION_RANK[b.health.state] || tie(a, b),
    NAME: tie,
    LAST_BACKUP: (a, b) => nullsFirst(time(a.lastBackupAt), time(b.lastBackupAt)) || tie(a, b),
    USAGE: (a, b) => -nullsFirst(a.usageBytes, b.usageBytes) || tie(a, b),
  };
  return reverse ? (a, b) => by[order](b, a) : by[order];
}

for (const dialect of dialects) {
  describe(`repositoryPage and repositorySummary on ${dialect}`, () => {
    let hive: TestHive;
    let users: Record<'alice' | 'bob' | 'carol' | 'dave', { id: string; token: string }>;
    let group: string;

    const page = async (token: string, vars: Record<string, unknown>) => {
      const r = await hive.gql<{ repositoryPage: Page }>(token, PAGE, vars);
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return r.data!.repositoryPage;
    };
    /** Every page, `first` at a time: the nodes in the order the server gave them. */
    const walk = async (token: string, vars: Record<string, unknown>, between?: () => Promise<void>) => {
      const nodes: Node[] = [];
      let after: string | null = null;
      for (;;) {
        const p: Page = await page(token, { first: 3, ...vars, after });
        nodes.push(...p.edges.map((e) => e.node));
        assert.equal(p.pageInfo.endCursor, p.edges.at(-1)?.cursor ?? null);
        if (!p.pageInfo.hasNextPage) return nodes;
        after = p.pageInfo.endCursor;
        await between?.();
      }
    };
    const list = async (token: string) => {
      const r = await hive.gql<{ repositories: Node[] }>(token, `{ repositories { ${NODE} } }`);
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return r.data!.repositories;
    };
    const sql = (text: string, params: unknown[]) =>
      (hive.services.orm.em.fork() as Em).getConnection().execute(text, params, 'run');
    const at = (d: Date) => hive.services.orm.em.getPlatform().processDateProperty(d) as unknown;

    before(async () => {
      hive = await startTestHive({ dialect });
      users = {
        alice: await hive.newUser('alice'),
        bob: await hive.newUser('bob'),
        carol: await hive.newUser('carol'),
        dave: await hive.newUser('dave'),
      };
      group = await createGroup(hive, `page-${dialect}`, [users.alice.id, users.bob.id]);
      const names: [keyof typeof users, string, boolean][] = [
        ['alice', 'alpha', true],
        ['alice', 'Alpha', false],
        ['alice', 'beta', false],
        ['alice', 'same', true],
        ['bob', 'same', false],
        ['bob', 'Zulu', false],
        ['bob', 'b-2', false],
        ['carol', 'same', false],
        ['carol', 'gamma.1', false],
        ['carol', 'delta_x', false],
        ['carol', '0day', false],
      ];
      const ids: number[] = [];
      for (const [who, name, shared] of names) {
        const repo = await createRepo(hive, users[who].token, {
          name,
          ...(shared ? { groupIds: [group] } : {}),
        });
        ids.push(Number(repo.id));
      }
      // facts with ties and nulls: usage, last backup, a failure, an open session, an old stale one
      const day = 86_400_000;
      const now = Date.now();
      const usage = [5, null, 5, 100, 0, null, 7, 5, 100, null, 3];
      const updated = [
        now - day,
        null,
        now - day,
        now - 2 * day,
        null,
        now - 9 * day,
        null,
        now - day,
        null,
        null,
        now,
      ];
      for (const [i, id] of ids.entries()) {
        const u = updated[i];
        await sql('update repositories set usage_bytes = ?, last_updated_at = ? where id = ?', [
          usage[i],
          u == null ? null : at(new Date(u)),
          id,
        ]);
      }
      await sql('update repositories set alert_after_days = 3 where id = ?', [ids[5]]);
      await sql('update repositories set is_open = ? where id = ?', [true, ids[2]]);
      await sql('update repositories set last_ping_failure_at = ? where id in (?, ?)', [
        at(new Date()),
        ids[3],
        ids[7],
      ]);
      await hive.services.health.update(hive.services.orm.em.fork() as Em, ids);
    });
    after(() => hive.dispose());

    it('pages every order and its reverse exactly as the reference sort, no row skipped or repeated', async () => {
      const all = await list(hive.adminToken);
      assert.equal(all.length, 11);
      assert.ok(new Set(all.map((n) => n.health.state)).size >= 4, 'several states are in play');
      for (const orderBy of Object.values(RepositoryOrder))
        for (const reverse of [false, true]) {
          const walked = await walk(hive.adminToken, { orderBy, reverse });
          const expected = [...all].sort(reference(orderBy, reverse));
          assert.deepEqual(
            walked.map((n) => `${n.name}#${n.id}`),
            expected.map((n) => `${n.name}#${n.id}`),
            `${orderBy}${reverse ? ' reversed' : ''}`,
          );
        }
    });

    it('shows each caller exactly what repositories shows, on every page and in the summary', async () => {
      for (const [who, token] of [
        ['admin', hive.adminToken],
        ...Object.entries(users).map(([k, u]) => [k, u.token] as const),
      ] as const) {
        const visible = await list(token);
        for (const orderBy of [RepositoryOrder.ATTENTION, RepositoryOrder.USAGE]) {
          const walked = await walk(token, { orderBy });
          assert.deepEqual(
            walked.map((n) => n.id).sort(),
            visible.map((n) => n.id).sort(),
            `${who} ${orderBy}`,
          );
          const first = await page(token, { first: 2, orderBy });
          assert.equal(first.totalCount, visible.length, `${who}: totalCount`);
        }
        const r = await hive.gql<{ repositorySummary: Record<string, number> }>(token, SUMMARY);
        const count = (s: HealthState) => visible.filter((n) => n.health.state === s).length;
        assert.deepEqual(
          r.data?.repositorySummary,
          {
            total: visible.length,
            usageBytes: visible.reduce((sum, n) => sum + (n.usageBytes ?? 0), 0),
            neverBackedUp: count(HealthState.NEVER_BACKED_UP),
            ok: count(HealthState.OK),
            inProgress: count(HealthState.IN_PROGRESS),
            stale: count(HealthState.STALE),
            failed: count(HealthState.FAILED),
            unknown: count(HealthState.UNKNOWN),
          },
          `${who}: summary`,
        );
      }
      assert.equal((await list(users.dave.token)).length, 0, 'the outsider sees nothing');
    });

    it('filters by search (name, repo user, owner), states, owner, group and location', async () => {
      const all = await list(hive.adminToken);
      const alpha = all.find((n) => n.name === 'alpha')!;
      const cases: [Record<string, unknown>, (n: Node) => boolean][] = [
        [{ search: 'ALP' }, (n) => n.name.toLowerCase().includes('alp')],
        [
          { search: alpha.repoUser.slice(2, 6).toUpperCase() },
          (n) =>
            n.repoUser.includes(alpha.repoUser.slice(2, 6)) ||
            n.name.toLowerCase().includes(alpha.repoUser.slice(2, 6)),
        ],
        [{ search: 'caro' }, (n) => n.owner.username === 'carol'],
        [{ search: '_' }, (n) => n.name.includes('_') || n.repoUser.includes('_')],
        [{ search: '%' }, () => false],
        [{ states: ['FAILED', 'IN_PROGRESS'] }, (n) => ['FAILED', 'IN_PROGRESS'].includes(n.health.state)],
        [{ ownerId: users.bob.id }, (n) => n.owner.id === users.bob.id],
        [{ groupId: group }, (n) => n.groups.some((g) => g.id === group)],
        [{ locationId: await defaultLocationId(hive) }, () => true],
        [{ locationId: '999' }, () => false],
        [
          { ownerId: users.alice.id, search: 'same' },
          (n) => n.owner.id === users.alice.id && n.name === 'same',
        ],
      ];
      for (const [filter, keep] of cases) {
        const expected = all.filter(keep).sort(reference(RepositoryOrder.ATTENTION, false));
        const walked = await walk(hive.adminToken, { filter });
        assert.deepEqual(
          walked.map((n) => n.id),
          expected.map((n) => n.id),
          JSON.stringify(filter),
        );
        const s = await hive.gql<{ repositorySummary: { total: number } }>(hive.adminToken, SUMMARY, {
          filter,
        });
        assert.equal(s.data?.repositorySummary.total, expected.length, `summary ${JSON.stringify(filter)}`);
      }
    });

    it('answers BAD_USER_INPUT to a bad first or after', async () => {
      const p = await page(hive.adminToken, { first: 2, orderBy: 'NAME' });
      const cursor = p.pageInfo.endCursor!;
      const [payload, check] = cursor.split('.') as [string, string];
      const flipped = `${payload.slice(0, 3)}${payload[3] === 'A' ? 'B' : 'A'}${payload.slice(4)}.${check}`;
      const forged = `${Buffer.from(JSON.stringify(['NAME', 0, null, 'zzz', 1])).toString('base64url')}.${check}`;
      const bad: Record<string, unknown>[] = [
        { first: 0 },
        { first: 501 },
        { first: -1 },
        { after: 'garbage' },
        { after: '' },
        { after: flipped, orderBy: 'NAME' },
        { after: forged, orderBy: 'NAME' },
        { after: `${cursor}.x`, orderBy: 'NAME' },
        { after: cursor, orderBy: 'ATTENTION' },
        { after: cursor, orderBy: 'NAME', reverse: true },
        { filter: { ownerId: 'x' } },
        { filter: { search: 'x'.repeat(101) } },
      ];
      for (const vars of bad) {
        const r = await hive.gql(hive.adminToken, PAGE, vars);
        assert.equal(codeOf(r), 'BAD_USER_INPUT', JSON.stringify(vars));
      }
      assert.equal((await page(hive.adminToken, { first: 500 })).edges.length, 11);
    });
  });
}
