import assert from 'node:assert/strict';
import { mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { dialects } from '../../test-support/databases.js';
import { eventually } from '../../test-support/eventually.js';
import { codeOf, createRepo, createToken, defaultLocationId } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { startAgent, type RunningAgent } from './agent.js';

const hex = (n: number) => n.toString(16).padStart(64, '0');
const REPORT =
  'mutation($e:[RepositoryEventInput!]!){reportRepositoryEvents(events:$e){recorded duplicates unknown}}';

type Event = { id: string; type: string; message: string; log: string | null };
type Repo = { archiveCount: number | null; lastUpdatedAt: string | null; events: Event[] };
const QUERY = `query($id:ID!){repository(id:$id){archiveCount lastUpdatedAt events(limit:500){id type message log}}}`;

/**
 * `borg-hive agent` on a storage node watches borg 2 repositories with the borg 2 watcher (#14): the hive
 * tells it the version, archive count and key ids through agentRepositories, and takes the borg 2 reports
 * (archives and keys by id) through reportRepositoryEvents. A restart of the agent compares the disk with
 * what the hive stored: only what changed while it was down is reported.
 */
for (const dialect of dialects) {
  describe(`the agent on a borg 2 repository (${dialect})`, () => {
    let hive: TestHive;
    let token: string;
    let repo: { id: string; path: string; repoUser: string; name: string };
    let borg1: { id: string; repoUser: string; name: string };
    let agent: RunningAgent | undefined;
    const fetchRepo = async (): Promise<Repo> => {
      const r = await hive.gql<{ repository: Repo }>(hive.adminToken, QUERY, { id: repo.id });
      const found = r.data?.repository;
      if (!found) throw new Error(JSON.stringify(r.errors));
      found.events.sort((a, b) => Number(a.id) - Number(b.id));
      return found;
    };
    const until = (what: string, ok: (r: Repo) => boolean) =>
      eventually(what, async () => {
        const r = await fetchRepo();
        return ok(r) ? r : undefined;
      });
    const count = (r: Repo, type: string) => r.events.filter((e) => e.type === type).length;
    /** An object written as borgstore writes it: a temporary name, then a rename. */
    const put = async (sub: string, name: string, at?: Date) => {
      const path = join(repo.path, sub, name);
      await writeFile(`${path}.tmp`, '');
      if (at) await utimes(`${path}.tmp`, at, at);
      await rename(`${path}.tmp`, path);
    };
    const start = async () => {
      agent = await startAgent({
        repoPath: hive.config.repoPath,
        apiUrl: hive.url,
        token,
        outboxFile: null,
        logger: pino({ level: process.env.BORGHIVE_TEST_LOG_LEVEL ?? 'silent' }),
        usageDelayMs: 50,
      });
    };

    before(async () => {
      hive = await startTestHive({ dialect, overrides: { jobs: false } });
      const location = await defaultLocationId(hive);
      token = await createToken(hive, hive.adminToken, 'AGENT', 'node', location);
      repo = await createRepo(hive, hive.adminToken, { name: 'twos', borgVersion: 'BORG2' });
      borg1 = await createRepo(hive, hive.adminToken, { name: 'ones' });
      // repo-create and a first backup before the agent runs
      for (const sub of ['locks', 'config', 'archives', 'keys', 'packs/00'])
        await mkdir(join(repo.path, sub), { recursive: true });
      await put('keys', hex(0xa));
      await put('archives', hex(1), new Date('2026-12-01T10:00:00.000Z'));
    });
    after(async () => {
      await agent?.stop();
      await hive?.dispose();
    });

    it('the hive tells the agent the version, archive count and key ids', async () => {
      const r = await hive.gql<{ agentRepositories: Record<string, unknown>[] }>(
        token,
        '{agentRepositories{repoName borgVersion archiveCount keyIds}}',
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      assert.deepEqual(r.data?.agentRepositories, [
        { repoName: 'twos', borgVersion: 'BORG2', archiveCount: null, keyIds: null },
        { repoName: 'ones', borgVersion: null, archiveCount: null, keyIds: null },
      ]);
    });

    it('watches it with the borg 2 watcher: what was there at start, then archives coming and going', async () => {
      await start();
      const first = await until(
        'the reconciliation',
        // (the repository row is read before its events: the count may lag the events by one query)
        (r) => count(r, 'ARCHIVE_CREATED') === 1 && count(r, 'KEY_ADDED') === 1 && r.archiveCount === 1,
      );
      assert.equal(first.lastUpdatedAt, '2026-12-01T10:00:00.000Z', 'the archive is the last backup');
      assert.match(first.events.find((e) => e.type === 'KEY_ADDED')!.message, /repo-create/);
      await put('locks', hex(0x9));
      await put('archives', hex(2), new Date('2026-12-02T10:00:00.000Z'));
      await rm(join(repo.path, 'locks', hex(0x9)));
      const second = await until(
        'a new archive',
        (r) => count(r, 'ARCHIVE_CREATED') === 2 && r.archiveCount === 2,
      );
      assert.equal(second.events.filter((e) => e.type === 'ARCHIVE_CREATED').at(-1)!.log, hex(2));
      await rename(join(repo.path, 'archives', hex(1)), join(repo.path, 'archives', `${hex(1)}.del`));
      const third = await until(
        'a deleted archive',
        (r) => count(r, 'ARCHIVE_DELETED') === 1 && r.archiveCount === 1,
      );
      assert.equal(third.events.find((e) => e.type === 'ARCHIVE_DELETED')!.log, hex(1));
      const known = await hive.gql<{ agentRepositories: Record<string, unknown>[] }>(
        token,
        '{agentRepositories{repoName archiveCount keyIds}}',
      );
      assert.deepEqual(known.data?.agentRepositories[0], {
        repoName: 'twos',
        archiveCount: 1,
        keyIds: [hex(0xa)],
      });
    });

    it('after a restart reports only what changed while it was down (a key change, no repo-create again)', async () => {
      await agent!.stop();
      agent = undefined;
      const before = await fetchRepo();
      await put('keys', hex(0xb));
      await rm(join(repo.path, 'keys', hex(0xa)));
      await start();
      const r = await until('the key change', (x) => count(x, 'KEY_REMOVED') === 1);
      const added = r.events.filter((e) => e.type === 'KEY_ADDED');
      assert.equal(added.length, 2, JSON.stringify(added));
      assert.equal(added[1]!.log, hex(0xb));
      assert.doesNotMatch(added[1]!.message, /repo-create/, 'a changed key, not a first one');
      assert.equal(r.events.find((e) => e.type === 'KEY_REMOVED')!.log, hex(0xa));
      await agent!.monitor.settled();
      assert.ok(await agent!.sink.drained(30_000));
      const after = await fetchRepo();
      const arrived = after.events.slice(before.events.length).map((e) => e.type);
      assert.deepEqual(
        arrived.filter((t) => t.startsWith('ARCHIVE_') || t === 'CREATED'),
        [],
        'archives and creation are not reported again',
      );
      assert.equal(after.archiveCount, 1);
    });

    it('refuses borg 2 fields that do not fit, and borg 2 reports about a borg 1 repository', async () => {
      const now = new Date().toISOString();
      const of = (
        r: { repoUser: string; name: string },
        type: string,
        extra: Record<string, unknown> = {},
      ) => ({
        repoUser: r.repoUser,
        repoName: r.name,
        type,
        at: now,
        ...extra,
      });
      const bad: [string, Record<string, unknown>][] = [
        ['ids', of(repo, 'ARCHIVE_DELETED', { ids: ['../../etc/passwd'] })],
        ['ids', of(repo, 'UPDATED', { ids: [hex(3)] })],
        ['archiveCount', of(repo, 'ARCHIVE_CREATED', { archiveCount: -1 })],
        ['archiveCount', of(repo, 'CLOSED', { archiveCount: 3 })],
        ['firstKey', of(repo, 'KEY_REMOVED', { firstKey: true })],
      ];
      for (const [field, e] of bad) {
        const r = await hive.gql(token, REPORT, { e: [e] });
        assert.equal(codeOf(r), 'BAD_USER_INPUT', `${field}: ${JSON.stringify(e)}`);
        assert.deepEqual(
          r.errors?.[0]?.extensions?.problems?.map((p) => p.field),
          [`events.0.${field}`],
        );
      }
      const r = await hive.gql<{ reportRepositoryEvents: Record<string, number> }>(token, REPORT, {
        e: [of(borg1, 'ARCHIVE_DELETED', { ids: [hex(5)], archiveCount: 0 })],
      });
      assert.deepEqual(r.data?.reportRepositoryEvents, { recorded: 0, duplicates: 0, unknown: 1 });
      const events = await hive.gql<{ repository: { events: unknown[] } }>(
        hive.adminToken,
        'query($id:ID!){repository(id:$id){events{type}}}',
        { id: borg1.id },
      );
      assert.deepEqual(events.data?.repository.events, []);
    });
  });
}
