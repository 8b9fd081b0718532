import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { Orm, Em } from '../../db/orm.js';
import { REPO_USER, RepositoryMode, Repository } from '../repository/index.js';
import { SshKey } from '../ssh-key/index.js';
import { authorizedKeyLine } from './forced-command.js';

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/**
 * Answers sshd's AuthorizedKeysCommand (through borg-hive-keys): the lines that may open one repo user.
 * Full-access lines first; a key in both sets gets only its full-access line.
 */
export class AuthorizedKeysService {
  private pendingUse = new Set<number>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly orm: Orm,
    private readonly repoPath: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async lines(em: Em, user: string, fingerprint: string | null): Promise<string[]> {
    if (!REPO_USER.test(user)) return [];
    if (fingerprint !== null && !FINGERPRINT.test(fingerprint)) return [];
    const repo = await em.findOne(
      Repository,
      { repoUser: user },
      { populate: ['sshKeys', 'appendOnlySshKeys'] },
    );
    if (!repo) return [];
    const path = `${this.repoPath}/${repo.repoUser}/${repo.name}`;
    const matches = (k: SshKey) => fingerprint === null || k.fingerprint === fingerprint;
    const full = repo.sshKeys.getItems().filter(matches);
    const fullIds = new Set(full.map((k) => k.id));
    const appendOnly =
      repo.mode === RepositoryMode.BORG
        ? repo.appendOnlySshKeys.getItems().filter((k) => matches(k) && !fullIds.has(k.id))
        : [];
    const base = { mode: repo.mode, path, quotaBytes: repo.quotaBytes };
    const out = [
      ...full.map((key) => authorizedKeyLine({ ...base, appendOnly: false, key })),
      ...appendOnly.map((key) => authorizedKeyLine({ ...base, appendOnly: true, key })),
    ];
    if (fingerprint !== null) this.noteUse([...full, ...appendOnly].map((k) => k.id));
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
