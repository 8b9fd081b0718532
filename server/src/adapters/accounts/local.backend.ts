import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { REPO_USER } from '@borg-hive/rules';
import type { Logger } from 'pino';
import {
  AccountConflictError,
  REPO_ACCOUNT_GECOS,
  type AccountsBackend,
  type RepoAccount,
} from './accounts.backend.js';
import { AccountToolError, runAccountTool } from './local.commands.js';
import { readPasswd, type PasswdEntry } from './local.passwd.js';
import { assertRepoAccount, assertRepoUser } from './repo-account.validation.js';

export interface LocalAccountsConfig {
  /** Homes must be `<repoPath>/<repo user>`. */
  repoPath: string;
  passwdFile?: string;
}

/** `borg serve` runs as the forced command through the login shell, so the shell must run commands. */
export const LOCAL_SHELL = '/bin/sh';
const NO_SUCH_USER = 6;

/** Repo users as accounts in /etc/passwd, managed with useradd/usermod/userdel (needs root). */
export class LocalAccountsBackend implements AccountsBackend {
  readonly kind = 'local';
  private readonly repoPath: string;
  private readonly passwdFile: string;
  /** shadow-utils lock /etc/passwd: concurrent runs would fail, so writes go one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    config: LocalAccountsConfig,
    private readonly logger: Logger,
  ) {
    this.repoPath = path.resolve(config.repoPath);
    this.passwdFile = config.passwdFile ?? '/etc/passwd';
  }

  async ensure(account: RepoAccount): Promise<void> {
    assertRepoAccount(account);
    const expectedHome = path.join(this.repoPath, account.user);
    if (path.resolve(account.home) !== expectedHome) {
      throw new RangeError(`home of "${account.user}" must be ${expectedHome}, not ${account.home}`);
    }
    return this.serial(() => this.ensureNow(account));
  }

  async remove(user: string): Promise<void> {
    assertRepoUser(user);
    return this.serial(() => this.removeNow(user));
  }

  async list(): Promise<RepoAccount[]> {
    const entries = await readPasswd(this.passwdFile);
    return entries
      .filter((entry) => entry.gecos === REPO_ACCOUNT_GECOS && REPO_USER.test(entry.name))
      .map((entry) => ({ user: entry.name, uid: entry.uid, gid: entry.gid, home: entry.home }));
  }

  async close(): Promise<void> {
    await this.queue;
  }

  private async ensureNow(account: RepoAccount): Promise<void> {
    const entry = await this.find(account.user);
    if (entry === undefined) {
      await runAccountTool('useradd', [
        ...['--uid', String(account.uid), '--gid', String(account.gid), '--no-user-group'],
        ...['--home-dir', account.home, '--no-create-home', '--shell', LOCAL_SHELL],
        ...['--comment', REPO_ACCOUNT_GECOS, '--password', '*', account.user],
      ]);
      this.logger.info({ user: account.user, uid: account.uid }, 'local repo account created');
    } else if (entry.gecos !== REPO_ACCOUNT_GECOS) {
      throw new AccountConflictError(account.user, this.passwdFile);
    } else {
      const args = driftArguments(entry, account);
      if (args.length > 0) {
        await runAccountTool('usermod', [...args, account.user]);
        this.logger.info({ user: account.user, args }, 'local repo account updated');
      }
    }
    await this.prepareHome(account);
  }

  private async removeNow(user: string): Promise<void> {
    const entry = await this.find(user);
    if (entry === undefined) return;
    if (entry.gecos !== REPO_ACCOUNT_GECOS) {
      this.logger.warn({ user }, 'not removing a local account that Borg Hive does not own');
      return;
    }
    try {
      await runAccountTool('userdel', [user]); // never -r: repository data stays unless deleted on purpose
      this.logger.info({ user }, 'local repo account removed');
    } catch (error) {
      if (!(error instanceof AccountToolError && error.exitCode === NO_SUCH_USER)) throw error;
    }
  }

  /** Creates a missing home (mode 0770, owned by the account, like pam_mkhomedir umask 0007). */
  private async prepareHome(account: RepoAccount): Promise<void> {
    const existing = await stat(account.home).catch(() => undefined);
    if (existing !== undefined) return;
    await mkdir(path.dirname(account.home), { recursive: true });
    await mkdir(account.home);
    await chown(account.home, account.uid, account.gid);
    await chmod(account.home, 0o770);
  }

  private async find(user: string): Promise<PasswdEntry | undefined> {
    const entries = await readPasswd(this.passwdFile);
    return entries.find((entry) => entry.name === user);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function driftArguments(entry: PasswdEntry, account: RepoAccount): string[] {
  const args: string[] = [];
  if (entry.uid !== account.uid) args.push('--uid', String(account.uid));
  if (entry.gid !== account.gid) args.push('--gid', String(account.gid));
  if (entry.home !== account.home) args.push('--home', account.home);
  if (entry.shell !== LOCAL_SHELL) args.push('--shell', LOCAL_SHELL);
  return args;
}
