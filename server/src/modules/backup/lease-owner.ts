import { hostname } from 'node:os';
import { processAlive } from './maintenance.js';

/** backup_runs.lease_owner's width. */
const WIDTH = 64;

/**
 * A run's lease owner: `<host> <pid> <instance id>` (the host cut so that it fits), so that a hive that
 * starts again on the same host sees at once that a run's hive is gone, without waiting for its lease.
 */
export function leaseOwnerOf(instanceId: string, pid = process.pid, host = hostname()): string {
  const tail = ` ${pid} ${instanceId}`;
  return `${host.replace(/\s/g, '_').slice(0, WIDTH - tail.length)}${tail}`;
}

/**
 * True when the lease owner was a hive on this host whose process is gone: its runs are dead now, whatever
 * their lease says. A living process (maybe another hive, or a reused pid) leaves it to the lease.
 */
export function ownerDiedHere(
  owner: string | null,
  host = hostname(),
  alive: (pid: number) => boolean = processAlive,
): boolean {
  const parts = (owner ?? '').split(' ');
  if (parts.length < 3) return false;
  const pid = Number(parts[parts.length - 2]);
  const ownHost = leaseOwnerOf(parts[parts.length - 1]!, pid, host);
  if (ownHost !== owner || !Number.isInteger(pid) || pid < 1) return false;
  return !alive(pid);
}
