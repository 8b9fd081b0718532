import DataLoader from 'dataloader';
import type { Em } from '../db/orm.js';
import { RepositoryEvent } from '../modules/event/repository-event.entity.js';
import { RepositoryStatistic } from '../modules/event/repository-statistic.entity.js';

type Newest<T> = DataLoader<{ repositoryId: number; limit: number }, T[], string>;

/** Newest `limit` rows per repository for many repositories in one statement (ROW_NUMBER window). */
function newestPerRepository<T extends RepositoryEvent | RepositoryStatistic>(
  em: Em,
  entity: new () => T,
  table: string,
): Newest<T> {
  return new DataLoader(
    async (keys) => {
      const limit = Math.max(...keys.map((k) => k.limit));
      const ids = [...new Set(keys.map((k) => k.repositoryId))];
      const conn = em.getConnection();
      const placeholders = ids.map(() => '?').join(',');
      const rows = await conn.execute<{ id: number }[]>(
        `select id from (select id, row_number() over (partition by repository_id order by created_at desc, id desc) as rn
           from ${table} where repository_id in (${placeholders})) ranked where rn <= ?`,
        [...ids, limit],
      );
      const found: T[] = rows.length === 0 ? [] : ((await em.find(entity, { id: { $in: rows.map((r) => r.id) } } as never)) as T[]);
      const byRepo = new Map<number, T[]>();
      for (const row of found) {
        const rid = (row.repository as unknown as { id: number }).id;
        const list = byRepo.get(rid) ?? [];
        list.push(row);
        byRepo.set(rid, list);
      }
      for (const list of byRepo.values()) {
        list.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
      }
      return keys.map((k) => (byRepo.get(k.repositoryId) ?? []).slice(0, k.limit));
    },
    { cacheKeyFn: (k) => `${k.repositoryId}:${k.limit}` },
  );
}

export function createLoaders(em: Em) {
  return {
    events: newestPerRepository(em, RepositoryEvent, 'repository_events'),
    statistics: newestPerRepository(em, RepositoryStatistic, 'repository_statistics'),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
