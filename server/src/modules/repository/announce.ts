import type { Em } from '../../db/orm.js';
import type { EventBus } from '../../graphql/event-bus.js';
import { repositoryViews } from './repository-list.js';

/** Tells subscribers that these repositories changed (e.g. their health, by the clock or an agent). */
export async function announceChanged(em: Em, bus: EventBus, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  for (const view of await repositoryViews(em, ids)) {
    await bus.publish('repositoryChanged', {
      repositoryId: view.id,
      ownerId: view.owner.id,
      groupIds: view.groups.map((g) => g.id),
    });
  }
}
