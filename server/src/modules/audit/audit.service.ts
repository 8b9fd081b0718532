import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { Em, Orm } from '../../db/orm.js';
import { User } from '../user/index.js';
import { AuditEntry } from './audit-entry.entity.js';
import type { AuditLine } from './audit-recorder.js';

export interface AuditQuery {
  /** Only this user's entries (a non-admin sees their own). */
  actorId?: number | null;
  actorName?: string | null;
  operation?: string | null;
  outcome?: string | null;
  since?: Date | null;
  until?: Date | null;
  /** Entries older (smaller id) than this one. */
  beforeId?: number | null;
}

const DAY = 86_400_000;
const EXPORT_BATCH = 500;

/** The audit trail: written after each mutation and sign-in, read newest first, trimmed to its retention. */
export class AuditService {
  constructor(
    private readonly orm: Orm,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly retentionDays: number,
  ) {}

  /**
   * Writes the lines with their own EntityManager (the request's may hold a failed transaction). A
   * write that fails is logged, not thrown: the change it describes has happened already.
   */
  async record(lines: readonly AuditLine[]): Promise<void> {
    if (lines.length === 0) return;
    const em = this.orm.em.fork() as Em;
    const at = this.clock.now();
    try {
      for (const line of lines) em.create(AuditEntry, { ...line, ...(await this.signedIn(em, line)), at });
      await em.flush();
    } catch (err) {
      this.logger.error({ err, lines }, 'could not write the audit trail');
    }
  }

  /**
   * A sign-in to an account gets that account's id, failed or not: its owner finds their sign-ins among
   * their own entries, including someone else's failed attempts at their password.
   */
  private async signedIn(em: Em, line: AuditLine): Promise<{ actorId?: number }> {
    if (line.operation !== 'signIn' || line.actorId !== null || !line.target) return {};
    const user = await em.findOne(User, { username: line.target }, { fields: ['id'] });
    return user ? { actorId: user.id } : {};
  }

  async list(em: Em, q: AuditQuery, first: number): Promise<AuditEntry[]> {
    return em.find(AuditEntry, this.where(q), { orderBy: { id: 'desc' }, limit: first });
  }

  /** Oldest first, in batches: the JSON lines export of everything the filter matches. */
  async *export(q: AuditQuery): AsyncGenerator<AuditEntry[]> {
    let afterId = 0;
    for (;;) {
      const em = this.orm.em.fork() as Em;
      const rows = await em.find(
        AuditEntry,
        { ...this.where(q), id: { $gt: afterId } },
        { orderBy: { id: 'asc' }, limit: EXPORT_BATCH },
      );
      if (rows.length === 0) return;
      yield rows;
      afterId = rows[rows.length - 1]!.id;
    }
  }

  /** Deletes what is older than the retention (BORGHIVE_AUDIT_RETENTION_DAYS; 0 keeps all). */
  async purge(): Promise<number> {
    if (this.retentionDays === 0) return 0;
    const before = new Date(this.clock.now().getTime() - this.retentionDays * DAY);
    return (this.orm.em.fork() as Em).nativeDelete(AuditEntry, { at: { $lt: before } });
  }

  private where(q: AuditQuery) {
    const at = {
      ...(q.since ? { $gte: q.since } : {}),
      ...(q.until ? { $lt: q.until } : {}),
    };
    return {
      ...(q.actorId != null ? { actorId: q.actorId } : {}),
      ...(q.actorName ? { actorName: q.actorName } : {}),
      ...(q.operation ? { operation: q.operation } : {}),
      ...(q.outcome ? { outcome: q.outcome } : {}),
      ...(Object.keys(at).length ? { at } : {}),
      ...(q.beforeId ? { id: { $lt: q.beforeId } } : {}),
    };
  }
}

export function toJsonLine(e: AuditEntry): string {
  let details: unknown;
  try {
    details = e.details === null ? null : JSON.parse(e.details);
  } catch {
    details = e.details;
  }
  return JSON.stringify({
    id: e.id,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    via: e.via,
    address: e.address,
    operation: e.operation,
    target: e.target,
    outcome: e.outcome,
    details,
  });
}
