import DataLoader from 'dataloader';
import type { Em } from '../db/orm.js';
import { toDate } from '../db/sql-values.js';
import type { RepositoryEvent } from '../modules/repository/repository-event.entity.js';
import type { RepositoryStatistic } from '../modules/repository/repository-statistic.entity.js';
import type { RepositoryEventType } from '../modules/repository/repository-event-type.js';
import { objectLoaders, type RelatedIds } from './object-loaders.js';

type Key = { repositoryId: number; limit: number };

const keyOf = (k: Key) => `${k.repositoryId}:${k.limit}`;

/** A DataLoader whose prefetched keys answer synchronously: a list of many objects needs no promise each. */
export class NewestLoader<T> {
  private readonly ready = new Map<string, T[]>();

  constructor(private readonly loader: DataLoader<Key, T[], string>) {}

  /** Loads these keys in one batch; later `load`s of them return the list itself. */
  async prefetch(keys: readonly Key[]): Promise<void> {
    const lists = await this.loader.loadMany(keys);
    keys.forEach((key, i) => {
      const list = lists[i];
      if (Array.isArray(list)) this.ready.set(keyOf(key), list);
    });
  }

  load(key: Key): T[] | Promise<T[]> {
    return this.ready.get(keyOf(key)) ?? this.loader.load(key);
  }
}

/**
 * Newest `limit` rows per repository for many repositories in one statement (ROW_NUMBER window), read
 * as plain rows: these lists are read-only, so they skip the ORM's hydration and identity map.
 */
function newestPerRepository<T>(
  em: Em,
  table: string,
  columns: string,
  map: (row: Record<string, unknown>) => T & { repositoryId: number },
): NewestLoader<T> {
  const loader = new DataLoader<Key, T[], string>(
    async (keys) => {
      const limit = Math.max(...keys.map((k) => k.limit));
      const ids = [...new Set(keys.map((k) => k.repositoryId))];
      const rows = await em.getConnection().execute<Record<string, unknown>[]>(
        `select ${columns}, repository_id from (select ${columns}, repository_id,
           row_number() over (partition by repository_id order by created_at desc, id desc) as rn
           from ${table} where repository_id in (${ids.map(() => '?').join(',')})) ranked
         where rn <= ? order by repository_id, created_at desc, id desc`,
        [...ids, limit],
      );
      const byRepo = new Map<number, T[]>();
      for (const row of rows) {
        const item = map(row);
        const list = byRepo.get(item.repositoryId) ?? [];
        list.push(item);
        byRepo.set(item.repositoryId, list);
      }
      return keys.map((k) => (byRepo.get(k.repositoryId) ?? []).slice(0, k.limit));
    },
    { cacheKeyFn: keyOf },
  );
  return new NewestLoader(loader);
}

export function createLoaders(em: Em, related: RelatedIds = {}) {
  return {
    ...objectLoaders(em, related),
    events: newestPerRepository(em, 'repository_events', 'id, type, message, created_at', (r) => {
      const repositoryId = Number(r.repository_id);
      const event = {
        id: Number(r.id),
        type: r.type as RepositoryEventType,
        message: String(r.message),
        createdAt: toDate(r.created_at) ?? new Date(0),
        repository: { id: repositoryId },
        repositoryId,
      };
      return event as unknown as RepositoryEvent & { repositoryId: number };
    }),
    statistics: newestPerRepository(em, 'repository_statistics', 'id, usage_bytes, created_at', (r) => {
      const repositoryId = Number(r.repository_id);
      const stat = {
        id: Number(r.id),
        usageBytes: Number(r.usage_bytes),
        createdAt: toDate(r.created_at) ?? new Date(0),
        repository: { id: repositoryId },
        repositoryId,
      };
      return stat as unknown as RepositoryStatistic & { repositoryId: number };
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
