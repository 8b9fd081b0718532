import { chown, lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { breakBorg2Locks, lockIsStale, processAlive, type Borg2LockBreak } from '../backup/index.js';

export interface Owner {
  uid: number;
  gid: number;
}

/** borg 1's lock on the disk: none, held by a live session, or left by a process gone on this node. */
export type LockState = 'none' | 'held' | 'stale';

/** What the agent's maintenance reads and changes on its storage node's disk. */
export interface MaintenanceDisk {
  /** The owner of the repository's directory; null when it is missing (or not a directory). */
  ownerOf(path: string): Promise<Owner | null>;
  lockState(path: string): Promise<LockState>;
  breakBorg2Locks(path: string, now: Date, sessionOpen: boolean): Promise<Borg2LockBreak>;
  /** A private HOME / BORG_BASE_DIR for one borg run, writable by `owner`. */
  tempHome(owner: Owner): Promise<{ path: string; remove(): Promise<void> }>;
}

export const localMaintenanceDisk: MaintenanceDisk = {
  async ownerOf(path) {
    const info = await lstat(path).catch(() => null);
    return info?.isDirectory() ? { uid: info.uid, gid: info.gid } : null;
  },
  async lockState(path) {
    const held = await Promise.all(
      ['lock.exclusive', 'lock.roster'].map((name) =>
        lstat(join(path, name)).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (!held.includes(true)) return 'none';
    return (await lockIsStale(path, processAlive)) ? 'stale' : 'held';
  },
  breakBorg2Locks,
  async tempHome(owner) {
    const path = await mkdtemp(join(tmpdir(), 'bh-agent-maint-'));
    await chown(path, owner.uid, owner.gid).catch(() => undefined); // not root: it stays ours, as borg runs
    return { path, remove: () => rm(path, { recursive: true, force: true }) };
  },
};
