import type { ProcessResult } from '../../adapters/process/process-runner.js';
import { BackupRunState } from './backup-enums.js';

export interface RunOutcome {
  state: BackupRunState;
  exitCode: number | null;
  message: string;
}

/** The last borg ERROR/CRITICAL line of the log, else its last line: the message a failed run shows. */
function lastError(log: string): string {
  const lines = log.split('\n').filter((l) => l.trim() !== '');
  const err = [...lines]
    .reverse()
    .find((l) => /^(ERROR|CRITICAL) /.test(l) || /Error|error|denied|failed/.test(l));
  return (err ?? lines.at(-1) ?? '').replace(/^(ERROR|CRITICAL) /, '').slice(0, 500);
}

/**
 * What an ssh + borg process result means. ssh exits 255 on its own failures (unreachable, host key,
 * authentication); anything else is borg's exit code (0 ok, 1 warning, 2 error, 128+N signal).
 */
export function outcomeOf(
  what: string,
  r: ProcessResult,
  log: string,
  opts: { cancelled: boolean; timeoutSeconds: number; clientFingerprint: string },
): RunOutcome {
  if (opts.cancelled || r.cancelled)
    return { state: BackupRunState.CANCELLED, exitCode: r.code, message: `${what} cancelled` };
  if (r.timedOut) {
    return {
      state: BackupRunState.FAILED,
      exitCode: r.code,
      message: `${what} timed out after ${opts.timeoutSeconds} s`,
    };
  }
  if (r.spawnError)
    return { state: BackupRunState.FAILED, exitCode: null, message: `cannot start ssh: ${r.spawnError}` };
  const stderr = r.stderr;
  if (r.code === 255) {
    if (
      /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No [A-Z0-9-]+ host key is known/i.test(
        stderr,
      )
    ) {
      return {
        state: BackupRunState.FAILED,
        exitCode: 255,
        message: `the client's host key is not the pinned one (${opts.clientFingerprint}): refused`,
      };
    }
    if (/Permission denied|Too many authentication failures/i.test(stderr)) {
      return {
        state: BackupRunState.FAILED,
        exitCode: 255,
        message: "the client refused the hive's key (is the authorized_keys line installed?)",
      };
    }
    if (
      /Connection refused|timed out|No route to host|Could not resolve|Network is unreachable|Connection closed/i.test(
        stderr,
      )
    ) {
      return {
        state: BackupRunState.FAILED,
        exitCode: 255,
        message: `client unreachable: ${lastError(stderr)}`,
      };
    }
    return { state: BackupRunState.FAILED, exitCode: 255, message: `ssh failed: ${lastError(stderr)}` };
  }
  if (r.code === 0) return { state: BackupRunState.SUCCEEDED, exitCode: 0, message: `${what} succeeded` };
  if (r.code === 1) {
    return {
      state: BackupRunState.SUCCEEDED,
      exitCode: 1,
      message: `${what} finished with warnings: ${lastError(log)}`,
    };
  }
  if (r.code === null) {
    return {
      state: BackupRunState.FAILED,
      exitCode: null,
      message: `${what} was killed (${r.signal ?? 'signal'})`,
    };
  }
  return {
    state: BackupRunState.FAILED,
    exitCode: r.code,
    message: `borg exited with ${r.code}: ${lastError(log)}`,
  };
}
