import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino, type Logger } from 'pino';
import type { RepositoryWatcher } from './repository-watcher.js';
import type { RepoWatchEvent } from './watch-event.js';

const run = promisify(execFile);

/** Test helpers for the watcher tests (not used by production code). */
export const silentLogger: Logger = pino({ level: 'silent' });

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `borghive-${prefix}-`));
}

/** Runs the real borg client against a local repository, unencrypted, with its own config/cache. */
export async function borg(baseDir: string, ...args: string[]): Promise<string> {
  const env = {
    ...process.env,
    BORG_BASE_DIR: baseDir,
    BORG_PASSPHRASE: '',
    BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
  };
  const { stdout } = await run('borg', args, { env });
  return stdout;
}

/** Collects a watcher's events and waits for particular ones. */
export class EventLog {
  readonly events: RepoWatchEvent[] = [];
  #waiters: { match: (e: RepoWatchEvent) => boolean; resolve: (e: RepoWatchEvent) => void }[] = [];

  constructor(watcher: RepositoryWatcher) {
    watcher.on((event) => {
      this.events.push(event);
      for (const waiter of this.#waiters.filter((w) => w.match(event))) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    });
  }

  /** Events of one repository directory, in arrival order. */
  of(path: string): RepoWatchEvent[] {
    return this.events.filter((event) => event.path === path);
  }

  /** Waits for the next matching event (rejects after a generous timeout, so a miss fails clearly). */
  next(match: (e: RepoWatchEvent) => boolean, timeoutMs = 15_000): Promise<RepoWatchEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('expected watcher event did not arrive')), timeoutMs);
      this.#waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }
}

export const settle = (ms = 300): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
