import { mkdir, mkdtemp, readdir, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readLockRoster } from './lock-roster.js';

/**
 * borg 1.2's on-disk sequence without borg (locking.py, repository.py), for benchmarks and restart
 * tests. Not a borg repository: only the files the watcher looks at, plus a data/ segment.
 */
export type SimulateOptions = {
  /** How long the session holds the repository (between acquire and release). Default 5 ms. */
  holdMs?: number;
  /** Called right after lock.exclusive was renamed into place (the benchmark's t0). */
  onLocked?: () => void;
};

let threadCounter = 0;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `borg init -e none`: README, config, data/, then a first write session committing index.1. */
export async function simulateInit(repoPath: string, repoUser: string, repoName: string): Promise<string> {
  const dir = join(repoPath, repoUser, repoName);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'README'),
    'This is a Borg Backup repository.\nSee https://borgbackup.readthedocs.io/\n',
  );
  await writeFile(join(dir, 'config'), '[repository]\nversion = 1\nsegments_per_dir = 1000\n');
  await mkdir(join(dir, 'data', '0'), { recursive: true });
  await simulateWrite(dir, { holdMs: 0 });
  return dir;
}

/** `borg create`: exclusive lock, a segment, a commit (integrity, hints, index via .tmp renames). */
export async function simulateWrite(dir: string, options: SimulateOptions = {}): Promise<void> {
  const owner = ownerId();
  await acquireLock(dir, owner, options.onLocked);
  await modifyRoster(dir, 'exclusive', owner, 'add');
  await sleep(options.holdMs ?? 5);
  const names = await readdir(dir);
  const previous = names.filter((name) => /^index\.\d+$/.test(name)).map((name) => Number(name.slice(6)));
  const transaction = Math.max(0, ...previous) + 1;
  await writeFile(join(dir, 'data', '0', String(transaction)), 'BORG_SEG'.padEnd(4096, '\0'));
  for (const kind of ['integrity', 'hints', 'index']) {
    await writeFile(join(dir, `${kind}.${transaction}.tmp`), `${kind} ${transaction}`);
  }
  for (const kind of ['integrity', 'hints', 'index']) {
    await rename(join(dir, `${kind}.${transaction}.tmp`), join(dir, `${kind}.${transaction}`));
  }
  for (const old of previous) {
    for (const kind of ['hints', 'integrity', 'index'])
      await rm(join(dir, `${kind}.${old}`), { force: true });
  }
  await modifyRoster(dir, 'exclusive', owner, 'remove');
  await releaseLock(dir, owner);
}

/** `borg list`: shared lock = lock.exclusive only while the roster's "shared" list changes. */
export async function simulateRead(dir: string, options: SimulateOptions = {}): Promise<void> {
  const owner = ownerId();
  await acquireLock(dir, owner, options.onLocked);
  await modifyRoster(dir, 'shared', owner, 'add');
  await releaseLock(dir, owner);
  await sleep(options.holdMs ?? 5);
  await acquireLock(dir, owner);
  await modifyRoster(dir, 'shared', owner, 'remove');
  await releaseLock(dir, owner);
}

function ownerId(): string {
  return JSON.stringify([hostname(), process.pid, ++threadCounter]);
}

/** ExclusiveLock.acquire: mkdtemp lock.exclusive.<rand>.tmp, a file named after us, rename. */
async function acquireLock(dir: string, owner: string, onLocked?: () => void): Promise<void> {
  const temp = await mkdtemp(join(dir, 'lock.exclusive.'));
  const [host, pid, thread] = JSON.parse(owner) as [string, number, number];
  await writeFile(join(temp, `${host}.${pid}-${thread.toString(16)}`), '');
  for (;;) {
    try {
      await rename(`${temp}`, join(dir, 'lock.exclusive'));
      onLocked?.();
      return;
    } catch {
      await sleep(2); // held by another session (rename onto a non-empty directory fails)
    }
  }
}

async function releaseLock(dir: string, owner: string): Promise<void> {
  const [host, pid, thread] = JSON.parse(owner) as [string, number, number];
  await unlink(join(dir, 'lock.exclusive', `${host}.${pid}-${thread.toString(16)}`));
  try {
    await rmdir(join(dir, 'lock.exclusive'));
  } catch (error) {
    // as borg: another session renamed its lock over our emptied directory; we lost the race, fine
    if (!['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}

/** LockRoster.modify: load, change, write in place; release removes the roster once empty. */
async function modifyRoster(
  dir: string,
  key: 'exclusive' | 'shared',
  owner: string,
  op: 'add' | 'remove',
): Promise<void> {
  const roster = await readLockRoster(dir);
  const lists = typeof roster === 'object' ? roster : { exclusive: [], shared: [] };
  const owners = new Set(lists[key]);
  if (op === 'add') owners.add(owner);
  else owners.delete(owner);
  const next = { ...lists, [key]: [...owners] };
  if (op === 'remove' && next.exclusive.length === 0 && next.shared.length === 0) {
    await writeFile(join(dir, 'lock.roster'), toJson(next));
    await rm(join(dir, 'lock.roster'), { force: true });
    return;
  }
  await writeFile(join(dir, 'lock.roster'), toJson(next));
}

function toJson(lists: { exclusive: string[]; shared: string[] }): string {
  const parse = (owners: string[]): unknown[] => owners.map((owner) => JSON.parse(owner) as unknown);
  return JSON.stringify({ exclusive: parse(lists.exclusive), shared: parse(lists.shared) });
}
