import { lstat, mkdtemp, opendir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessResult, ProcessRunner } from '../../adapters/process/process-runner.js';
import { MaintenanceTask } from './backup-enums.js';
import { type BoundedLog, parseBorgLine } from './borg-progress.js';
import { outcomeOf, type RunOutcome } from './run-outcome.js';

/**
 * Why the hive does not run `task` on a borg 2 repository, or null when it does. COMPACT and CHECK need
 * the repository's borg key, which the hive never holds: borg 2's compact, and its check, a
 * `--repository-only` one included (2.0.0b25 loads the key first and fails with NoPassphraseFailure
 * without it, see e2e/borg2-sid). A client with full access (`all`) must run them. BREAK_LOCK removes the
 * stale lock files on the disk: the hive's own, or through `borg-hive agent` on the storage node.
 */
export function borg2MaintenanceRefusal(task: MaintenanceTask, repoName: string): string | null {
  if (task === MaintenanceTask.BREAK_LOCK) return null;
  const what =
    task === MaintenanceTask.COMPACT
      ? { name: 'COMPACT', borg: 'compact', run: 'borg2 compact' }
      : { name: 'CHECK', borg: 'check (--repository-only included)', run: 'borg2 check' };
  return (
    `${what.name} of borg 2 repository ${repoName} is refused: borg 2's ${what.borg} needs the repository's ` +
    `borg key, which the hive does not hold; a client with full access (all) must run \`${what.run}\``
  );
}

/** Why BREAK_LOCK is refused while a session holds the lock (the hive's rule, and the agent's on its node). */
export function lockInUse(repoName: string): string {
  return `a session of repository ${repoName} is open: its lock is not broken while borg uses it`;
}

/** A stderr line handler for borg's --log-json: its log lines kept in `log`. */
export function collectBorgLog(log: BoundedLog): (line: string) => void {
  return (line) => {
    const parsed = parseBorgLine(line);
    if (parsed.kind === 'log') log.add(parsed.text);
  };
}

/** What a borg 1 maintenance process's result means, run by the hive over ssh or by an agent on its node. */
export function maintenanceOutcome(
  task: MaintenanceTask,
  result: ProcessResult,
  log: BoundedLog,
  cancelled: boolean,
  timeoutMs: number,
): RunOutcome {
  return outcomeOf(task.toLowerCase().replace('_', '-'), result, log.toString(), {
    cancelled,
    timeoutSeconds: Math.round(timeoutMs / 1000),
    clientFingerprint: '',
  });
}

/** borg 1's arguments per task: all work on the repository alone, without its key. */
export function maintenanceArgs(task: MaintenanceTask, repoUrl: string): string[] {
  switch (task) {
    case MaintenanceTask.COMPACT:
      return ['compact', '--log-json', '--progress', '--', repoUrl];
    case MaintenanceTask.CHECK:
      return ['check', '--repository-only', '--log-json', '--progress', '--', repoUrl];
    case MaintenanceTask.BREAK_LOCK:
      return ['break-lock', '--log-json', '--', repoUrl];
  }
}

/**
 * Whether the repository's lock is stale: held by a process of this host that no longer exists (borg's
 * own rule). A lock of another host, or an unreadable roster, is not known to be stale.
 */
export async function lockIsStale(repoPath: string, alive: (pid: number) => boolean): Promise<boolean> {
  let roster: Record<string, [string, number, number][]>;
  try {
    roster = JSON.parse(await readFile(join(repoPath, 'lock.roster'), 'utf8')) as typeof roster;
  } catch {
    return false;
  }
  const holders = [...(roster['exclusive'] ?? []), ...(roster['shared'] ?? [])];
  if (holders.length === 0) return false;
  const me = hostname();
  return holders.every(([host, pid]) => host.split('@')[0] === me && typeof pid === 'number' && !alive(pid));
}

/** borg 2 counts a lock object older than this as stale (its holders refresh theirs well within it). */
export const BORG2_LOCK_STALE_MS = 30 * 60_000;
/** At most this many entries of locks/ are looked at in one run (a repository holds a handful). */
const MAX_LOCK_ENTRIES = 10_000;

export interface Borg2LockBreak {
  removed: number;
  /** fresh lock files of an open session, left in place */
  kept: number;
}

/**
 * BREAK_LOCK on a borg 2 repository, done by the hive on the disk (`borg2 break-lock` would need the
 * repository's key): removes the regular files in `locks/` that are stale, that is older than 30 min, or
 * any while the hive knows no session is open. A lock file of a live session is kept. Links and other
 * odd entries are never followed nor removed.
 */
export async function breakBorg2Locks(
  repoPath: string,
  now: Date,
  sessionOpen: boolean,
): Promise<Borg2LockBreak> {
  const repo = await lstat(repoPath).catch(() => null);
  if (!repo?.isDirectory())
    throw new Error(
      `the repository's directory ${repoPath} is not on this hive's disk: no lock was looked at`,
    );
  const locks = join(repoPath, 'locks');
  const info = await lstat(locks).catch(() => null);
  if (!info?.isDirectory()) return { removed: 0, kept: 0 };
  let removed = 0;
  let kept = 0;
  let seen = 0;
  for await (const entry of await opendir(locks)) {
    if (++seen > MAX_LOCK_ENTRIES) break;
    if (!entry.isFile()) continue;
    const path = join(locks, entry.name);
    const stats = await lstat(path).catch(() => null);
    if (!stats?.isFile()) continue;
    if (sessionOpen && now.getTime() - stats.mtime.getTime() <= BORG2_LOCK_STALE_MS) {
      kept++;
      continue;
    }
    await unlink(path).then(
      () => removed++,
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error; // its holder removed it meanwhile
      },
    );
  }
  return { removed, kept };
}

/** What a borg 2 BREAK_LOCK run reports (the hive's or an agent's). */
export function borg2LockBreakMessage({ removed, kept }: Borg2LockBreak): string {
  return (
    `removed ${removed} stale lock file${removed === 1 ? '' : 's'} of borg 2 ` +
    `(older than ${BORG2_LOCK_STALE_MS / 60_000} min, or any while no session is open)` +
    (kept > 0 ? `; kept ${kept} of a live session` : '')
  );
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs borg on the hive against the storage node's sshd with a key of this run only (removed by the
 * caller), checking the node against its known host keys; nothing of the repository's key is needed.
 */
export async function runStorageBorg(
  runner: ProcessRunner,
  input: {
    privateKey: string;
    knownHosts: string;
    borgArgs: string[];
    timeoutMs: number;
    signal: AbortSignal;
    onStderrLine: (line: string) => void;
  },
): Promise<ProcessResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bh-maint-'));
  try {
    const key = join(dir, 'run_key');
    await writeFile(key, input.privateKey, { mode: 0o600 });
    await writeFile(join(dir, 'known_hosts'), input.knownHosts, { mode: 0o600 });
    const rsh = [
      'ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes',
      `-o UserKnownHostsFile=${join(dir, 'known_hosts')} -o GlobalKnownHostsFile=/dev/null`,
      `-o IdentitiesOnly=yes -o IdentityAgent=none -i ${key}`,
    ].join(' ');
    return await runner.run({
      program: 'borg',
      args: input.borgArgs,
      env: { HOME: dir, BORG_BASE_DIR: dir, BORG_RSH: rsh, BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes' },
      timeoutMs: input.timeoutMs,
      signal: input.signal,
      onStderrLine: input.onStderrLine,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
