import type { Em } from '../../db/orm.js';
import type { EventBus } from '../../graphql/event-bus.js';

type Row = Record<string, unknown>;
const CHUNK = 500;

/**
 * Tells subscribers that these repositories changed (e.g. their health, by the clock or an agent). A
 * message needs only its audience (owner and groups): two small reads per 500 repositories, not their
 * views (keys, shares, owners ...), which the live feed reads once per burst after its debouncer anyway.
 */
export async function announceChanged(em: Em, bus: EventBus, ids: readonly number[]): Promise<void> {
  const conn = em.getConnection();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const marks = chunk.map(() => '?').join(',');
    const [repos, groups] = await Promise.all([
      conn.execute<Row[]>(`select id, owner_id from repositories where id in (${marks})`, chunk),
      conn.execute<Row[]>(
        `select repository_id, group_id from repository_groups where repository_id in (${marks})`,
        chunk,
      ),
    ]);
    const groupIds = new Map<number, number[]>();
    for (const g of groups) {
      const id = Number(g.repository_id);
      groupIds.set(id, [...(groupIds.get(id) ?? []), Number(g.group_id)]);
    }
    for (const r of repos) {
      const repositoryId = Number(r.id);
      await bus.publish('repositoryChanged', {
        repositoryId,
        ownerId: Number(r.owner_id),
        groupIds: groupIds.get(repositoryId) ?? [],
      });
    }
  }
}
