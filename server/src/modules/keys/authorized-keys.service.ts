import { KEY_FINGERPRINT, REPO_USER } from '@borg-hive/rules';
import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { Orm, Em } from '../../db/orm.js';
import {
  type KeyRole,
  quotaExceeded,
  refusedOverQuota,
  RepositoryMode,
  Repository,
  rolesOf,
} from '../repository/index.js';
import { SshKey } from '../ssh-key/index.js';
import { authorizedKeyLine, keyLine } from './forced-command.js';
import { refusalCommand, type RefusalLog } from './login-refusal.js';

/**
 * Answers sshd's AuthorizedKeysCommand (through borg-hive-keys): the lines that may open one repo user.
 * Full-access lines first; a key in several lists gets only its widest role's line. A repository the hive
 * holds to its quota (borg 2, rsync) that has used it up gets, for each key that could write, a line
 * whose forced command refuses the login with the reason (see login-refusal.ts).
 */
export class AuthorizedKeysService {
  private pendingUse = new Set<number>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly orm: Orm,
    private readonly repoPath: string,
    private readonly commands: { borg1: string; borg2: string },
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly refusals: RefusalLog,
  ) {}

  /** `address`: who asked (recorded with a refusal). */
  async lines(em: Em, user: string, fingerprint: string | null, address = ''): Promise<string[]> {
    if (!REPO_USER.test(user)) return [];
    if (fingerprint !== null && !KEY_FINGERPRINT.test(fingerprint)) return [];
    const repo = await em.findOne(
      Repository,
      { repoUser: user },
      { populate: ['sshKeys', 'appendOnlySshKeys', 'readOnlySshKeys', 'writeOnlySshKeys'] },
    );
    if (!repo) return [];
    const path = `${this.repoPath}/${repo.repoUser}/${repo.name}`;
    const matches = (k: SshKey) => fingerprint === null || k.fingerprint === fingerprint;
    // rsync modes have one role (the mode decides read or write); a BORG repository the roles its borg enforces
    const roles: readonly KeyRole[] =
      repo.mode === RepositoryMode.BORG ? rolesOf(repo.borgVersion) : ['full'];
    const lists: Record<KeyRole, SshKey[]> = {
      full: repo.sshKeys.getItems(),
      appendOnly: repo.appendOnlySshKeys.getItems(),
      readOnly: repo.readOnlySshKeys.getItems(),
      writeOnly: repo.writeOnlySshKeys.getItems(),
    };
    const base = {
      mode: repo.mode,
      borgVersion: repo.borgVersion,
      commands: this.commands,
      path,
      quotaBytes: repo.quotaBytes,
    };
    // a key in several lists gets the widest role only (roles are listed widest first), so sshd's first
    // matching line is never a narrower one the owner meant to replace
    const over = quotaExceeded(repo);
    const seen = new Set<number>();
    const used: SshKey[] = [];
    const out: string[] = [];
    let refused = false;
    for (const role of roles) {
      for (const key of lists[role]) {
        if (!matches(key) || seen.has(key.id)) continue;
        seen.add(key.id);
        if (over !== null && refusedOverQuota(repo.mode, role)) {
          refused = true;
          out.push(keyLine(refusalCommand(repo.name, over), key));
          continue;
        }
        used.push(key);
        out.push(authorizedKeyLine({ ...base, role, key }));
      }
    }
    if (fingerprint === null) return out;
    this.noteUse(used.map((k) => k.id));
    if (refused && over !== null) {
      this.refusals.note({
        repositoryId: repo.id,
        repoUser: repo.repoUser,
        repoName: repo.name,
        fingerprint,
        over,
        address,
      });
    }
    return out;
  }

  /** lastUsedAt is written in batches off the lookup path. */
  private noteUse(ids: number[]): void {
    for (const id of ids) this.pendingUse.add(id);
    if (this.flushTimer || this.pendingUse.size === 0) return;
    this.flushTimer = setTimeout(() => void this.flushUse(), 500);
    this.flushTimer.unref();
  }

  async flushUse(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const ids = [...this.pendingUse];
    this.pendingUse.clear();
    if (ids.length === 0) return;
    try {
      await this.orm.em.fork().nativeUpdate(SshKey, { id: { $in: ids } }, { lastUsedAt: this.clock.now() });
    } catch (err) {
      this.logger.warn({ err }, 'could not record key use');
    }
  }
}
