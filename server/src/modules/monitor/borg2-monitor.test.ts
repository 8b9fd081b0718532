import assert from 'node:assert/strict';
import { mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../test-support/databases.js';
import { eventually } from '../../test-support/eventually.js';
import { createRepo } from '../../test-support/factories.js';
import { inotifyWatches } from '../../test-support/inotify.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { startCaptureServer, type CaptureServer } from '../notification/testing.js';
import { createChannel, LOOPBACK_ALLOW } from '../alert/testing.js';
import { InProcessSink } from './in-process-sink.js';
import { RepositoryMonitor } from './repository-monitor.js';

const hex = (n: number) => n.toString(16).padStart(64, '0');

type Event = { id: string; type: string; message: string; log: string | null; createdAt: string };
type Repo = { archiveCount: number | null; lastUpdatedAt: string | null; isOpen: boolean; events: Event[] };
const QUERY = `query($id:ID!){repository(id:$id){archiveCount lastUpdatedAt isOpen
  events(limit:500){id type message log createdAt}}}`;

/**
 * The monitor watches a borg 2 repository with the Borg2Watcher (objects written the way borgstore
 * writes them: a temporary name, then a rename): a new archive is a backup, a mass deletion and a key
 * change are alerts through the channels; compaction is neither. e2e/src/borg2-sid.test.ts does the same
 * with borg2 itself.
 */
for (const dialect of dialects) {
  describe(`the monitor on a borg 2 repository (${dialect})`, () => {
    let hive: TestHive;
    let hook: CaptureServer;
    let repo: { id: string; path: string };
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
    const put = async (sub: string, name: string, at?: Date) => {
      const path = join(repo.path, sub, name);
      await writeFile(`${path}.tmp`, '');
      if (at) await utimes(`${path}.tmp`, at, at);
      await rename(`${path}.tmp`, path);
    };
    /** A monitor started afresh (the hive's own is stopped): what it reconciles at start, then the repository. */
    const restartMonitor = async () => {
      const monitor = new RepositoryMonitor({
        repoPath: hive.config.repoPath,
        sink: new InProcessSink(hive.services.orm, hive.services.reports),
        logger: hive.services.logger,
        adoptEveryMs: 0,
      });
      await monitor.start();
      await monitor.flushed();
      await monitor.stop();
      return fetchRepo();
    };
    const delivered = (event: string) =>
      eventually(`a ${event} message at the webhook`, async () => {
        await hive.services.deliveries.runOnce();
        const bodies = hook.requests.map((r) => JSON.parse(r.body) as { event: string; title: string });
        return bodies.find((b) => b.event === event);
      });

    before(async () => {
      hook = await startCaptureServer();
      hive = await startTestHive({
        dialect,
        env: {
          ...LOOPBACK_ALLOW,
          BORGHIVE_WATCH: 'true',
          BORGHIVE_DELETION_ALERT_ARCHIVES: '3',
          BORGHIVE_DELETION_ALERT_MINUTES: '10',
        },
        overrides: { jobs: false },
      });
      repo = await createRepo(hive, hive.adminToken, { name: 'two', borgVersion: 'BORG2' });
      await createChannel(hive, hive.adminToken, {
        name: 'hook',
        kind: 'WEBHOOK',
        settings: { url: `${hook.baseUrl}/hook` },
        repositoryIds: [repo.id],
      });
      // adopted before repo-create (the directory is there, empty), as a repository made through the API
      await hive.monitor!.adoptNew();
      // what borg2 repo-create does: under a lock, config/ and the other directories, one key object
      for (const sub of ['locks', 'config', 'archives', 'keys', 'packs/00'])
        await mkdir(join(repo.path, sub), { recursive: true });
      await put('locks', hex(0x9));
      await put('keys', hex(0xa));
      await rm(join(repo.path, 'locks', hex(0x9)));
      await until('repo-create', (r) => r.events.some((e) => e.type === 'CLOSED'));
    });
    after(async () => {
      await hive?.dispose();
      await hook?.close();
    });

    it('a new archive is ARCHIVE_CREATED and the last backup; a lock object opens and closes', async () => {
      await put('locks', hex(0x1));
      await until('OPENED', (r) => r.isOpen);
      const at = new Date('2026-12-01T10:00:00.000Z');
      await put('archives', hex(1), at);
      await rm(join(repo.path, 'locks', hex(0x1)));
      const r = await until(
        'ARCHIVE_CREATED and CLOSED',
        (x) => count(x, 'ARCHIVE_CREATED') === 1 && !x.isOpen,
      );
      assert.equal(r.archiveCount, 1);
      assert.equal(r.lastUpdatedAt, at.toISOString(), 'the archive is the backup');
      const created = r.events.find((e) => e.type === 'ARCHIVE_CREATED')!;
      assert.equal(created.log, hex(1), 'the event lists the archive id');
      const types = r.events.map((e) => e.type);
      assert.deepEqual(
        types.slice(0, 4).sort(),
        ['CLOSED', 'CREATED', 'KEY_ADDED', 'OPENED'],
        'repo-create: its session, config/ and the key',
      );
      assert.deepEqual(types.slice(4), ['OPENED', 'ARCHIVE_CREATED', 'CLOSED'], 'then a backup');
      assert.match(r.events.find((e) => e.type === 'KEY_ADDED')!.message, /key was written \(repo-create\)/);
      assert.equal(count(r, 'ALERT'), 0, "repo-create's key is not a change of key");
    });

    it('deleting as many archives as the threshold alerts through the channel; compaction does not', async () => {
      for (const n of [2, 3, 4]) await put('archives', hex(n), new Date(`2026-12-0${n}T10:00:00.000Z`));
      await until('four archives', (r) => r.archiveCount === 4);
      const updated = (await fetchRepo()).lastUpdatedAt;
      await rename(join(repo.path, 'archives', hex(1)), join(repo.path, 'archives', `${hex(1)}.del`));
      await until('one deleted', (r) => count(r, 'ARCHIVE_DELETED') === 1);
      assert.equal(count(await fetchRepo(), 'ALERT'), 0, 'one deletion is below the threshold');
      for (const n of [2, 3])
        await rename(join(repo.path, 'archives', hex(n)), join(repo.path, 'archives', `${hex(n)}.del`));
      const r = await until('the deletion alert', (x) => count(x, 'ALERT') === 1 && x.archiveCount === 1);
      assert.match(r.events.find((e) => e.type === 'ALERT')!.message, /3 archives deleted within 10 minutes/);
      const message = await delivered('DELETIONS');
      assert.match(message.title, /Archives deleted in two/);
      // borg2 compact removes the .del objects under a lock: no deletion again, no backup
      const closed = count(r, 'CLOSED');
      const deletions = count(r, 'ARCHIVE_DELETED');
      await put('locks', hex(0x2));
      for (const n of [1, 2, 3]) await rm(join(repo.path, 'archives', `${hex(n)}.del`));
      await rm(join(repo.path, 'locks', hex(0x2)));
      const compacted = await until('the compaction session', (x) => count(x, 'CLOSED') === closed + 1);
      assert.equal(count(compacted, 'ARCHIVE_DELETED'), deletions, 'compaction deletes nothing new');
      assert.equal(count(compacted, 'ALERT'), 1);
      assert.equal(compacted.lastUpdatedAt, updated, 'deletes and compaction leave the last backup');
    });

    it('a changed key (one key object replaced by another) is one alert', async () => {
      // borg2 key change-passphrase holds a lock while it rewrites keys/ (keys/ itself is not watched)
      await put('locks', hex(0x3));
      await put('keys', hex(0xb));
      await rm(join(repo.path, 'keys', hex(0xa)));
      await rm(join(repo.path, 'locks', hex(0x3)));
      const r = await until('the key alert', (x) => count(x, 'ALERT') === 2 && count(x, 'KEY_REMOVED') === 1);
      assert.equal(count(r, 'KEY_ADDED'), 2, "repo-create's key and the new one");
      assert.match(r.events.filter((e) => e.type === 'ALERT')[1]!.message, /borg key changed/);
      const message = await delivered('KEY_CHANGED');
      assert.match(message.title, /Key changed in two/);
    });

    it('a borg 2 repository made while the hive runs costs two inotify watches: the borg 1 watcher leaves its home', async () => {
      const before = await inotifyWatches();
      const made = await createRepo(hive, hive.adminToken, { name: 'three', borgVersion: 'BORG2' });
      await hive.monitor!.adoptNew();
      for (const sub of ['locks', 'config', 'archives', 'keys', 'packs/00'])
        await mkdir(join(made.path, sub), { recursive: true });
      for (const [sub, name] of [
        ['locks', hex(0x21)],
        ['keys', hex(0x22)],
      ] as const) {
        await writeFile(join(made.path, sub, `${name}.tmp`), '');
        await rename(join(made.path, sub, `${name}.tmp`), join(made.path, sub, name));
      }
      await rm(join(made.path, 'locks', hex(0x21)));
      await eventually('repo-create of the new repository', async () => {
        const x = await hive.gql<{ repository: Repo }>(hive.adminToken, QUERY, { id: made.id });
        return x.data?.repository.events.some((e) => e.type === 'CLOSED') ? true : undefined;
      });
      // archives/ and locks/ of the new repository; its home and directory are no longer watched
      const after = await eventually('two more watches', async () => {
        const n = await inotifyWatches();
        return n === before + 2 ? n : undefined;
      }).catch(async () => inotifyWatches());
      assert.equal(after - before, 2, 'the whole monitor holds two more inotify watches');
      // and the new repository's events still arrive through the Borg2Watcher
      await writeFile(join(made.path, 'archives', `${hex(0x23)}.tmp`), '');
      await rename(join(made.path, 'archives', `${hex(0x23)}.tmp`), join(made.path, 'archives', hex(0x23)));
      await eventually('ARCHIVE_CREATED in the new repository', async () => {
        const x = await hive.gql<{ repository: Repo }>(hive.adminToken, QUERY, { id: made.id });
        return x.data?.repository.archiveCount === 1 ? true : undefined;
      });
    });

    it('after a restart, the monitor reports what changed while it was away from the stored count', async () => {
      await hive.monitor!.stop();
      await rm(join(repo.path, 'archives', hex(4)));
      const r = await restartMonitor();
      assert.equal(r.archiveCount, 0);
      const last = r.events.filter((e) => e.type === 'ARCHIVE_DELETED').at(-1)!;
      assert.equal(
        last.log,
        'deleted while the hive was not watching',
        'an archive removed outright is unseen',
      );
    });

    it('a backup and a key change made while the hive was down are picked up at start; an unchanged start reports nothing', async () => {
      const before = await fetchRepo();
      // while nobody watches: a backup (under its lock), then borg2 key change-passphrase
      const at = new Date('2026-12-06T01:00:00.000Z');
      await put('archives', hex(6), at);
      await put('keys', hex(0xc));
      await rm(join(repo.path, 'keys', hex(0xb)));
      const r = await restartMonitor();
      const fresh = r.events.filter(
        (e) => Number(e.id) > Math.max(...before.events.map((x) => Number(x.id))),
      );
      assert.deepEqual(fresh.map((e) => e.type).sort(), [
        'ALERT',
        'ARCHIVE_CREATED',
        'KEY_ADDED',
        'KEY_REMOVED',
      ]);
      assert.equal(r.archiveCount, 1);
      assert.equal(r.lastUpdatedAt, at.toISOString(), 'the archive is the last backup');
      assert.equal(fresh.find((e) => e.type === 'KEY_ADDED')!.log, hex(0xc));
      assert.equal(fresh.find((e) => e.type === 'KEY_REMOVED')!.log, hex(0xb));
      assert.match(
        fresh.find((e) => e.type === 'ALERT')!.message,
        /borg key changed: 1 key object added and 1 key object removed/,
      );
      // nothing changed since: a start finds nothing, alerts nothing
      const again = await restartMonitor();
      assert.deepEqual(
        again.events.map((e) => e.id),
        r.events.map((e) => e.id),
      );
    });

    it('a client that deleted its history and made one new archive while the hive was down is reported as both', async () => {
      await hive.monitor!.stop();
      const before = await fetchRepo();
      assert.equal(before.archiveCount, 1);
      // the count stays 1: only the archives made since the last backup known tell the deletion apart
      await rename(join(repo.path, 'archives', hex(6)), join(repo.path, 'archives', `${hex(6)}.del`));
      const at = new Date(Date.parse(before.lastUpdatedAt!) + 60_000);
      await put('archives', hex(9), at);
      const r = await restartMonitor();
      const last = Math.max(...before.events.map((x) => Number(x.id)));
      const fresh = r.events.filter((e) => Number(e.id) > last);
      assert.deepEqual(fresh.map((e) => e.type).sort(), ['ARCHIVE_CREATED', 'ARCHIVE_DELETED']);
      assert.equal(fresh.find((e) => e.type === 'ARCHIVE_DELETED')!.log, hex(6), 'the .del object names it');
      assert.equal(r.archiveCount, 1);
      assert.equal(r.lastUpdatedAt, at.toISOString());
    });
  });
}
