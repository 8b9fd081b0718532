import { randomUUID } from 'node:crypto';
import { mkdir, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Em, RepositoryLocation, Repository, type TestHive } from '@borg-hive/server/testing';

export { inotifyWatches } from '@borg-hive/server/testing';

export type BenchRepository = { id: number; repoUser: string; name: string; path: string };

/**
 * `count` repositories owned by admin, each with what `borg init` leaves on disk, inserted in bulk.
 * `matchDisk`: the rows carry the state on disk (last update = index.1 mtime, last access = directory
 * mtime), so a start-up reconciliation has nothing to record; otherwise they look never watched.
 */
export async function seedRepositories(
  hive: TestHive,
  count: number,
  matchDisk = false,
): Promise<BenchRepository[]> {
  const em = hive.services.orm.em.fork() as Em;
  const location = await em.findOneOrFail(RepositoryLocation, { id: { $gt: 0 } }, { orderBy: { id: 'asc' } });
  const rows = Array.from({ length: count }, (_, i) => ({
    name: `repo${i}`,
    repoUser: `b${String(i).padStart(7, '0')}`,
    uid: 20_000 + i,
    gid: 1000,
    location: location.id,
    owner: 1,
    pingUuid: randomUUID(),
    mode: 'BORG',
    isOpen: false,
    lastUpdatedAt: null as Date | null,
    lastAccessAt: null as Date | null,
    createdAt: new Date(),
  }));
  for (let start = 0; start < rows.length; start += 200) {
    await Promise.all(
      rows.slice(start, start + 200).map(async (row) => {
        const path = join(hive.config.repoPath, row.repoUser, row.name);
        await mkdir(join(path, 'data', '0'), { recursive: true });
        await Promise.all(
          ['README', 'config', 'nonce', 'hints.1', 'integrity.1', 'index.1', 'data/0/1'].map((name) =>
            writeFile(join(path, name), name),
          ),
        );
        if (!matchDisk) return;
        row.lastUpdatedAt = (await stat(join(path, 'index.1'))).mtime;
        row.lastAccessAt = (await stat(path)).mtime;
      }),
    );
  }
  for (let i = 0; i < rows.length; i += 500)
    await em.insertMany(Repository, rows.slice(i, i + 500) as never[]);
  return (await em.find(Repository, {}, { fields: ['repoUser', 'name'], orderBy: { id: 'asc' } })).map(
    (r) => ({
      id: r.id,
      repoUser: r.repoUser,
      name: r.name,
      path: join(hive.config.repoPath, r.repoUser, r.name),
    }),
  );
}

const hex = (n: number): string => n.toString(16).padStart(64, '0');

/**
 * `count` borg 2 repositories (BORG, borgVersion BORG2) with what `borg2 repo-create` and one
 * `borg2 create` leave on disk (config/, keys/ empty here, locks/, archives/ with one archive,
 * packs/00); the rows carry the archive count and its time, so a start-up has nothing to record.
 */
export async function seedBorg2Repositories(hive: TestHive, count: number): Promise<BenchRepository[]> {
  const em = hive.services.orm.em.fork() as Em;
  const location = await em.findOneOrFail(RepositoryLocation, { id: { $gt: 0 } }, { orderBy: { id: 'asc' } });
  const archivedAt = new Date('2026-12-01T10:00:00.000Z');
  const rows = Array.from({ length: count }, (_, i) => ({
    name: `repo${i}`,
    repoUser: `b${String(i).padStart(7, '0')}`,
    uid: 20_000 + i,
    gid: 1000,
    location: location.id,
    owner: 1,
    pingUuid: randomUUID(),
    mode: 'BORG',
    borgVersion: 'BORG2',
    archiveCount: 1,
    isOpen: false,
    lastUpdatedAt: archivedAt,
    lastAccessAt: null as Date | null,
    createdAt: new Date(),
  }));
  for (let start = 0; start < rows.length; start += 200) {
    await Promise.all(
      rows.slice(start, start + 200).map(async (row) => {
        const path = join(hive.config.repoPath, row.repoUser, row.name);
        for (const sub of ['config', 'keys', 'locks', 'archives', 'packs/00'])
          await mkdir(join(path, sub), { recursive: true });
        await writeFile(join(path, 'config', 'id'), 'id');
        const archive = join(path, 'archives', hex(2));
        await writeFile(`${archive}.tmp`, '');
        await utimes(`${archive}.tmp`, archivedAt, archivedAt);
        await rename(`${archive}.tmp`, archive);
      }),
    );
  }
  for (let i = 0; i < rows.length; i += 500)
    await em.insertMany(Repository, rows.slice(i, i + 500) as never[]);
  return (await em.find(Repository, {}, { fields: ['repoUser', 'name'], orderBy: { id: 'asc' } })).map(
    (r) => ({
      id: r.id,
      repoUser: r.repoUser,
      name: r.name,
      path: join(hive.config.repoPath, r.repoUser, r.name),
    }),
  );
}

export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

export const round = (ms: number): number => Math.round(ms * 100) / 100;
