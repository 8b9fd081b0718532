import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { toDate } from '../../db/sql-values.js';
import { BorgVersion } from './borg-version.js';
import { RepositoryMode } from './repository-mode.js';
import { lastBackupAt } from './alert-schedule.js';
import { ATTENTION_RANK } from './health-state.js';
import { UNKNOWN_USAGE_ORDER } from './repository.entity.js';
import { healthOf, type HealthFacts, type HealthPolicy } from './health.js';

type Row = Record<string, unknown>;

/** The health facts of a `repositories` row (raw SQL), as HealthFacts names them, without the location. */
export function healthColumnsOf(r: Row): Omit<HealthFacts, 'location'> {
  return {
    alertAfterDays: r.alert_after_days == null ? null : Number(r.alert_after_days),
    createdAt: toDate(r.created_at) ?? new Date(0),
    isOpen: Boolean(Number(r.is_open)),
    lastAccessAt: toDate(r.last_access_at),
    lastUpdatedAt: toDate(r.last_updated_at),
    lastPingSuccessAt: toDate(r.last_ping_success_at),
    lastPingFailureAt: toDate(r.last_ping_failure_at),
    lastPingFailureStatus: r.last_ping_failure_status == null ? null : Number(r.last_ping_failure_status),
    lastPingStartAt: toDate(r.last_ping_start_at),
    mode: (r.mode as RepositoryMode | undefined) ?? RepositoryMode.BORG,
    borgVersion: (r.borg_version as BorgVersion | undefined) ?? BorgVersion.BORG1,
    quotaBytes: r.quota_bytes == null ? null : Number(r.quota_bytes),
    usageBytes: r.usage_bytes == null ? null : Number(r.usage_bytes),
  };
}

/** The stored columns of a repository with these facts and usage (what HealthStore writes). */
export interface StoredHealth {
  backup: Date | null;
  rank: number;
  until: Date | null;
  usage: number;
}

export function storedHealthOf(
  facts: HealthFacts,
  usageBytes: number | null,
  now: Date,
  policy: HealthPolicy,
): StoredHealth {
  const health = healthOf(facts, now, policy);
  return {
    backup: lastBackupAt(facts),
    rank: ATTENTION_RANK[health.state],
    until: health.stateUntil,
    usage: usageBytes === null ? UNKNOWN_USAGE_ORDER : -usageBytes,
  };
}

const FACTS = `select r.*, l.name as location_name, l.agent_seen_at as location_agent_seen_at
  from repositories r join repository_locations l on l.id = r.location_id`;
const DUE_BATCH = 1000;

/**
 * Keeps the stored health columns of `repositories` (last_backup_at, health_rank, health_until, and
 * usage_order, the USAGE sort key) equal to healthOf over the stored facts: every writer of a fact calls `update` after its flush, and the
 * health job calls `catchUp`, which recomputes the rows whose health_until has passed (an indexed range)
 * and the repositories of a location whose agent came or went. So repositoryPage orders, filters and
 * counts from indexed columns, lagging the clock by at most one job period; `Repository.health`
 * itself is computed from the facts at read time and is exact.
 */
export class HealthStore {
  constructor(
    private readonly clock: Clock,
    readonly policy: HealthPolicy,
  ) {}

  /** Recomputes and stores the health of these repositories (after a write of their facts); the changed ids. */
  async update(em: Em, ids: readonly number[]): Promise<number[]> {
    const changed: number[] = [];
    for (let i = 0; i < ids.length; i += DUE_BATCH) {
      const chunk = ids.slice(i, i + DUE_BATCH);
      changed.push(...(await this.#store(em, `r.id in (${chunk.map(() => '?').join(',')})`, chunk)));
    }
    return changed;
  }

  /**
   * The health job: rows whose stored state has run out, and locations whose agent came or went.
   * Returns the repositories whose stored health changed.
   */
  async catchUp(em: Em): Promise<number[]> {
    const now = this.clock.now();
    const changed: number[] = [];
    const agents = await this.#sql<Row>(
      em,
      'select id, agent_seen_at, agent_away from repository_locations where agent_seen_at is not null',
    );
    for (const l of agents) {
      const seen = toDate(l.agent_seen_at);
      const away = seen !== null && now.getTime() >= seen.getTime() + this.policy.agentAwayAfterMs;
      if (away === Boolean(Number(l.agent_away))) continue;
      changed.push(...(await this.#setAway(em, Number(l.id), away)));
    }
    for (;;) {
      const rows = await this.#sql<Row>(
        em,
        `select id from repositories where health_until <= ? order by health_until limit ${DUE_BATCH}`,
        [this.#param(em, now)],
      );
      if (rows.length === 0) break;
      changed.push(
        ...(await this.update(
          em,
          rows.map((r) => Number(r.id)),
        )),
      );
      if (rows.length < DUE_BATCH) break;
    }
    return changed;
  }

  /**
   * A call of the agent of `locationId`: its last report time, written at most every tenth of the away
   * time (each write is a data change); an agent that was away is back at once.
   */
  async agentSeen(em: Em, locationId: number): Promise<number[]> {
    const now = this.clock.now();
    const [row] = await this.#sql<Row>(
      em,
      'select agent_seen_at, agent_away from repository_locations where id = ?',
      [locationId],
    );
    if (!row) return [];
    const seen = toDate(row.agent_seen_at);
    const wasAway = Boolean(Number(row.agent_away));
    if (!wasAway && seen !== null && now.getTime() - seen.getTime() < this.policy.agentAwayAfterMs / 10)
      return [];
    await this.#sql(em, 'update repository_locations set agent_seen_at = ? where id = ?', [
      this.#param(em, now),
      locationId,
    ]);
    return wasAway ? this.#setAway(em, locationId, false) : [];
  }

  async #setAway(em: Em, locationId: number, away: boolean): Promise<number[]> {
    await this.#sql(em, 'update repository_locations set agent_away = ? where id = ?', [away, locationId]);
    return this.#store(em, 'r.location_id = ?', [locationId]);
  }

  async #store(em: Em, where: string, params: unknown[]): Promise<number[]> {
    const now = this.clock.now();
    const rows = await this.#sql<Row>(em, `${FACTS} where ${where}`, params);
    const changed: number[] = [];
    for (const r of rows) {
      const facts: HealthFacts = {
        ...healthColumnsOf(r),
        location: { name: String(r.location_name), agentSeenAt: toDate(r.location_agent_seen_at) },
      };
      const next = storedHealthOf(
        facts,
        r.usage_bytes == null ? null : Number(r.usage_bytes),
        now,
        this.policy,
      );
      const same =
        Number(r.usage_order) === next.usage &&
        toDate(r.last_backup_at)?.getTime() === next.backup?.getTime() &&
        Number(r.health_rank) === next.rank &&
        toDate(r.health_until)?.getTime() === next.until?.getTime();
      if (same) continue;
      await this.#sql(
        em,
        'update repositories set last_backup_at = ?, health_rank = ?, health_until = ?, usage_order = ? where id = ?',
        [this.#param(em, next.backup), next.rank, this.#param(em, next.until), next.usage, Number(r.id)],
      );
      changed.push(Number(r.id));
    }
    return changed;
  }

  #param(em: Em, at: Date | null): unknown {
    return at === null ? null : (em.getPlatform().processDateProperty(at) as unknown);
  }

  #sql<T>(em: Em, sql: string, params: unknown[] = []): Promise<T[]> {
    const tx: unknown = em.getTransactionContext(); // MikroORM types the driver transaction as any
    return em.getConnection().execute<T[]>(sql, params, 'all', tx);
  }
}
