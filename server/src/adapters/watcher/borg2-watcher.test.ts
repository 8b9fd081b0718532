import assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { eventually } from '../../test-support/eventually.js';
import { Borg2Watcher, type Borg2WatchEvent } from './borg2-watcher.js';

const hex = (n: number) => n.toString(16).padStart(64, '0');
const idsOf = (e: Borg2WatchEvent) => ('ids' in e ? e.ids : []);

/**
 * The borg 2 watcher against the real filesystem and inotify, writing objects the way borgstore does
 * (a temporary name, then a rename). e2e/src/borg2-sid.test.ts reads a layout written by borg2 itself.
 */
describe('Borg2Watcher', () => {
  let dir: string;
  let watcher: Borg2Watcher;
  let events: Borg2WatchEvent[];
  let waiters: { match: (e: Borg2WatchEvent) => boolean; resolve: (e: Borg2WatchEvent) => void }[];
  const next = (type: Borg2WatchEvent['type']) => {
    const seen = events.find((e) => e.type === type);
    if (seen) {
      events.splice(events.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise<Borg2WatchEvent>((resolve) =>
      waiters.push({
        match: (e) => e.type === type,
        resolve: (e) => {
          events.splice(events.indexOf(e), 1);
          resolve(e);
        },
      }),
    );
  };
  const put = async (path: string, content = '') => {
    await writeFile(`${path}.tmp`, content);
    await rename(`${path}.tmp`, path);
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bh-borg2-watch-'));
    watcher = new Borg2Watcher({ logger: pino({ level: 'silent' }) });
    events = [];
    waiters = [];
    watcher.on((e) => {
      events.push(e);
      for (const w of [...waiters])
        if (w.match(e)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
    });
  });
  after(async () => {
    await watcher.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('rescans what repo-create wrote before the watches were set, then holds two watches, none on packs/', async () => {
    const home = join(dir, 'u1');
    await mkdir(home);
    const path = join(home, 'repo');
    await watcher.add({ repoUser: 'u1', repoName: 'repo', path });
    assert.equal(watcher.watchedCount(), 1, 'the home, until the repository exists');
    await mkdir(path);
    for (const sub of ['config', 'keys', 'locks', 'packs/00', 'archives'])
      await mkdir(join(path, sub), { recursive: true });
    await put(join(path, 'archives', hex(1)));
    const created = await next('ARCHIVE_CREATED');
    assert.deepEqual(idsOf(created), [hex(1)]);
    assert.equal(created.archiveCount, 1);
    // the switch from the repository directory's watch to archives/ and locks/ may end just after the event
    await eventually(
      'archives/ and locks/ only',
      async () => (watcher.watchedCount() === 2 ? true : undefined),
      5_000,
    );
  });

  it('counts lock objects: open while any holder has one, through refreshes and overlapping writers', async () => {
    const path = join(dir, 'u1', 'repo');
    const locks = join(path, 'locks');
    await put(join(locks, hex(10)));
    await next('OPENED');
    await put(join(locks, hex(11))); // a second writer
    await put(join(locks, hex(12))); // the first refreshes: create new, then delete old
    await rm(join(locks, hex(10)));
    await put(join(path, 'keys', hex(20))); // a key written during the session
    await rm(join(locks, hex(11)));
    await put(join(path, 'archives', hex(2)));
    await rm(join(locks, hex(12)));
    await next('CLOSED');
    assert.deepEqual(
      events.filter((e) => e.type === 'OPENED' || e.type === 'CLOSED'),
      [],
      'one OPENED and one CLOSED for the overlapping holders',
    );
    assert.deepEqual(idsOf(await next('KEY_ADDED')), [hex(20)]);
    const created = await next('ARCHIVE_CREATED');
    assert.deepEqual(idsOf(created), [hex(2)]);
    assert.equal(created.archiveCount, 2);
  });

  it('a session that takes and drops its lock object between two scans is still OPENED and CLOSED', async () => {
    const path = join(dir, 'u1', 'repo');
    events.length = 0;
    // all in one turn of the event loop: no scan can run before the lock object is gone again
    writeFileSync(join(path, 'locks', `${hex(40)}.tmp`), '');
    renameSync(join(path, 'locks', `${hex(40)}.tmp`), join(path, 'locks', hex(40)));
    writeFileSync(join(path, 'keys', hex(41)), '');
    rmSync(join(path, 'locks', hex(40)));
    await next('CLOSED');
    // (a scan still under way from before may see the key before the lock's events arrive)
    assert.deepEqual(
      events
        .splice(0)
        .map((e) => e.type)
        .sort(),
      ['KEY_ADDED', 'OPENED'],
      'the session and its key, nothing else',
    );
    // a session the scans see is reported as before, once
    await put(join(path, 'locks', hex(42)));
    await next('OPENED');
    await rm(join(path, 'locks', hex(42)));
    await next('CLOSED');
    assert.deepEqual(events.splice(0), [], 'one OPENED, one CLOSED');
  });

  it('a delete (rename to .del) and compact: one ARCHIVE_DELETED, and compact keeps the last backup time', async () => {
    const path = join(dir, 'u1', 'repo');
    await rename(join(path, 'archives', hex(1)), join(path, 'archives', `${hex(1)}.del`));
    const deleted = await next('ARCHIVE_DELETED');
    assert.deepEqual(idsOf(deleted), [hex(1)]);
    assert.equal(deleted.archiveCount, 1);
    const last = deleted.lastArchiveAt;
    await rm(join(path, 'archives', `${hex(1)}.del`)); // compact
    await put(join(path, 'locks', hex(30)));
    await next('OPENED');
    await rm(join(path, 'locks', hex(30)));
    const closed = await next('CLOSED');
    assert.deepEqual(closed.lastArchiveAt, last, 'compaction is not a backup');
    assert.equal(events.filter((e) => e.type === 'ARCHIVE_DELETED').length, 0, 'not deleted twice');
  });

  it('the repository directory removed (rm -r): DELETED at the end; it is watched from its home then', async () => {
    const path = join(dir, 'u1', 'repo');
    events.length = 0;
    await rm(path, { recursive: true });
    // what rm -r removes before the directory (archive objects) may be reported on the way: a
    // repository emptied by hand is a deletion the owner should hear of
    const deleted = await next('DELETED');
    assert.equal(deleted.path, path);
    assert.equal(deleted.archiveCount, 0);
    // it comes back (repo-create again): seen through the watch of its home
    await mkdir(join(path, 'config'), { recursive: true });
    await next('CREATED');
  });
});
