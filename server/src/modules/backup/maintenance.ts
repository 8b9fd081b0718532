import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessResult, ProcessRunner } from '../../adapters/process/process-runner.js';
import { MaintenanceTask } from './backup-enums.js';

/** borg's arguments per task: all work on the repository alone, without its key. */
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
