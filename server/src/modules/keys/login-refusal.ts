import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { Em, Orm } from '../../db/orm.js';
import type { AuditLine } from '../audit/index.js';
import {
  type EventService,
  type QuotaExceeded,
  quotaReason,
  Repository,
  RepositoryEventType,
} from '../repository/index.js';

/** A login the hive refused at key lookup: which repository, which key, and why. */
export interface LoginRefusal {
  repositoryId: number;
  repoUser: string;
  repoName: string;
  fingerprint: string;
  over: QuotaExceeded;
  /** who asked for the key lines (the storage node's sshd, through borg-hive-keys) */
  address: string;
}

/** Where refusals are recorded (the audit trail); a failure is the sink's to log. */
export type RefusalSink = (refusal: LoginRefusal, reason: string) => Promise<void>;

/**
 * The forced command of a key whose login the hive refuses: borg-hive-keys itself, which prints the
 * reason on stderr (ssh carries it to the client) and exits 1. Every argument is a repository name
 * (checked by REPO_NAME) or a number, so nothing here needs quoting; borg-hive-keys checks them again.
 */
export function refusalCommand(repoName: string, over: QuotaExceeded): string {
  const n = (bytes: number) => String(Math.trunc(bytes));
  return `borg-hive-keys --refuse over-quota ${repoName} ${n(over.usedBytes)} ${n(over.quotaBytes)}`;
}

/** sshd asks twice per offered key (the probe and the signature), and clients retry: one line a minute. */
const QUIET_MS = 60_000;
const MAX_REMEMBERED = 10_000;

/** Records refused logins off the lookup path, at most one per repository and key a minute. */
export class RefusalLog {
  readonly #last = new Map<string, number>();

  constructor(
    private readonly sink: RefusalSink,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  note(refusal: LoginRefusal): void {
    const key = `${refusal.repositoryId}/${refusal.fingerprint}`;
    const now = this.clock.now().getTime();
    const last = this.#last.get(key);
    if (last !== undefined && now - last < QUIET_MS) return;
    if (this.#last.size >= MAX_REMEMBERED) this.#last.clear();
    this.#last.set(key, now);
    const reason = quotaReason(refusal.over);
    this.logger.warn(
      {
        repository: `${refusal.repoUser}/${refusal.repoName}`,
        fingerprint: refusal.fingerprint,
        ...refusal.over,
      },
      `ssh login refused: repository ${reason}`,
    );
    void this.sink(refusal, reason);
  }
}

/** The audit line of a refusal: no user acted (sshd asked), the repository is the target. */
export function refusalAuditLine(refusal: LoginRefusal, reason: string): AuditLine {
  const { repoUser, repoName, fingerprint, over } = refusal;
  return {
    actorId: null,
    actorName: null,
    via: 'ssh',
    address: refusal.address,
    operation: 'sshLoginRefused',
    target: String(refusal.repositoryId),
    outcome: 'OVER_QUOTA',
    details: JSON.stringify({ repoUser, repoName, fingerprint, ...over, reason }),
  };
}

/**
 * The refusal as an event of the repository (LOGIN_REFUSED), in its timeline and to its subscribers:
 * which key and why. A repository deleted meanwhile has nothing to show it on.
 */
export async function recordRefusalEvent(
  orm: Orm,
  events: EventService,
  refusal: LoginRefusal,
  reason: string,
): Promise<void> {
  const em = orm.em.fork() as Em;
  const repo = await em.findOne(Repository, refusal.repositoryId);
  if (!repo) return;
  await events.record(
    em,
    repo,
    RepositoryEventType.LOGIN_REFUSED,
    `ssh login of key ${refusal.fingerprint} refused: repository ${reason}`,
  );
}
