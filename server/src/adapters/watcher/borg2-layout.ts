import { withDirectory, type DirectoryHandle } from '../fs/safe-read.js';

/**
 * What the hive can read of a borg 2 (borgstore) repository without its key: the names and times of the
 * objects in archives/, locks/ and keys/. Every object's content is sealed with the key in 2.0.0b25 (a
 * lock tells neither host nor pid nor whether it is exclusive), so counts and times are all there is.
 * packs/ (256 directories of data) is never listed.
 */
export type Borg2State = {
  exists: boolean;
  /** config/ is a directory: repo-create done (borg 1 has a config file). */
  initialized: boolean;
  /** archives/<id>: one object per archive; a deleted one is renamed to <id>.del until compact. */
  archiveIds: string[];
  deletedArchiveIds: string[];
  /** mtime of the newest archives/<id>: the last backup (compact and deletes do not change it). */
  lastArchiveAt: Date | null;
  /** The mtimes (ms) of the archives/<id> objects, newest last: how many backups came after a given time. */
  archiveTimes: number[];
  /** locks/<hash>: one object per holder (several writers at once; refreshed by create-then-delete). */
  lockCount: number;
  /** The names of those lock objects (what a lock object named by a watch event is compared with). */
  lockIds: string[];
  /** keys/<hash>: the repository's (encrypted) borg key. */
  keyIds: string[];
};

export const ABSENT_BORG2: Borg2State = Object.freeze({
  exists: false,
  initialized: false,
  archiveIds: [],
  deletedArchiveIds: [],
  lastArchiveAt: null,
  archiveTimes: [],
  lockCount: 0,
  lockIds: [],
  keyIds: [],
});

/** borgstore object names: hex hashes; writes go to a temporary name first, which this leaves out. */
const OBJECT = /^[0-9a-f]{64}$/;

/** An object's name (not a temporary one, not a deleted archive's <id>.del). */
export const isBorg2Object = (name: string): boolean => OBJECT.test(name);
const DELETED = /^([0-9a-f]{64})\.del$/;

/** Which borg made the repository at dir, from its layout; null when it is not (yet) a repository. */
export async function detectBorgVersion(dir: string): Promise<'BORG1' | 'BORG2' | null> {
  return withDirectory(dir, null, async (repo) => {
    const config = await repo.lstat('config');
    if (config?.isDirectory()) return 'BORG2';
    if (config?.isFile()) return 'BORG1';
    return null;
  });
}

async function objects(repo: DirectoryHandle, sub: string): Promise<{ name: string; mtime: Date }[]> {
  return withDirectory(repo.entry(sub), [], async (dir) => {
    const names = (await dir.names()).filter((n) => OBJECT.test(n) || DELETED.test(n));
    const stats = await Promise.all(names.map((n) => dir.lstat(n)));
    return names.flatMap((name, i) => {
      const s = stats[i];
      return s?.isFile() ? [{ name, mtime: s.mtime }] : [];
    });
  });
}

/** What is on disk now (never throws on a missing repository or directory). */
export async function readBorg2State(dir: string): Promise<Borg2State> {
  return withDirectory(dir, ABSENT_BORG2, async (repo) => {
    const [config, archives, locks, keys] = await Promise.all([
      repo.lstat('config'),
      objects(repo, 'archives'),
      objects(repo, 'locks'),
      objects(repo, 'keys'),
    ]);
    const live = archives.filter((a) => OBJECT.test(a.name));
    const lockIds = locks
      .filter((l) => OBJECT.test(l.name))
      .map((l) => l.name)
      .sort();
    const lastArchiveAt = live.reduce<Date | null>(
      (newest, a) => (!newest || a.mtime > newest ? a.mtime : newest),
      null,
    );
    return {
      exists: true,
      initialized: config?.isDirectory() === true,
      archiveIds: live.map((a) => a.name).sort(),
      deletedArchiveIds: archives.flatMap((a) => DELETED.exec(a.name)?.[1] ?? []).sort(),
      lastArchiveAt,
      archiveTimes: live.map((a) => a.mtime.getTime()).sort((a, b) => a - b),
      lockCount: lockIds.length,
      lockIds,
      keyIds: keys
        .filter((k) => OBJECT.test(k.name))
        .map((k) => k.name)
        .sort(),
    };
  });
}

export type Borg2Change =
  | { type: 'ARCHIVE_CREATED'; ids: string[]; at: Date }
  | { type: 'ARCHIVE_DELETED'; ids: string[] }
  /** first: keys/ held no object before (repo-create writing the repository's key), not a change of key. */
  | { type: 'KEY_ADDED'; ids: string[]; first?: true }
  | { type: 'KEY_REMOVED'; ids: string[] }
  | { type: 'CREATED' | 'OPENED' | 'CLOSED' | 'DELETED' };

/**
 * The events that turn `previous` into `current`: archives and keys by id, and the repository open while
 * any lock object exists (counted, not paired: holders overlap and each refresh replaces its object).
 * An archive renamed to <id>.del and one removed outright by compact are both deleted; an id that was
 * already deleted is not deleted again when compact removes its .del. A repository whose directory is
 * gone is DELETED only (its archives are not reported deleted: that is no deletion alert).
 */
export function borg2Changes(previous: Borg2State, current: Borg2State): Borg2Change[] {
  // the directory went (deleteRepository, userdel): the repository, not its archives one by one
  if (!current.exists) return previous.exists ? [{ type: 'DELETED' }] : [];
  const out: Borg2Change[] = [];
  // a session's changes come between its OPENED and its CLOSED
  if (previous.lockCount === 0 && current.lockCount > 0) out.push({ type: 'OPENED' });
  // repo-create made config/ (while the watcher looked at an empty or missing directory)
  if (current.initialized && !previous.initialized) out.push({ type: 'CREATED' });
  const minus = (a: string[], b: string[]) => {
    const set = new Set(b);
    return a.filter((x) => !set.has(x));
  };
  const created = minus(current.archiveIds, previous.archiveIds);
  if (created.length > 0)
    out.push({ type: 'ARCHIVE_CREATED', ids: created, at: current.lastArchiveAt ?? new Date() });
  const deleted = minus(previous.archiveIds, current.archiveIds);
  if (deleted.length > 0) out.push({ type: 'ARCHIVE_DELETED', ids: deleted });
  const keysAdded = minus(current.keyIds, previous.keyIds);
  const keysRemoved = minus(previous.keyIds, current.keyIds);
  if (keysAdded.length > 0)
    out.push({
      type: 'KEY_ADDED',
      ids: keysAdded,
      ...(previous.keyIds.length === 0 ? { first: true as const } : {}),
    });
  if (keysRemoved.length > 0) out.push({ type: 'KEY_REMOVED', ids: keysRemoved });
  if (previous.lockCount > 0 && current.lockCount === 0) out.push({ type: 'CLOSED' });
  return out;
}
