import type { Audience } from '../../graphql/event-bus.js';
import type { Shareable } from '../auth/auth-info.js';
import type { Repository } from './repository.entity.js';

export function shareableOf(repo: Repository): Shareable {
  return {
    ownerId: repo.owner.id,
    groupIds: repo.groups.isInitialized() ? repo.groups.getIdentifiers<number>() : [],
  };
}

/** Who may hear about this repository: travels with every event so subscribers filter without a query. */
export function audienceOf(repo: Repository): Audience {
  const s = shareableOf(repo);
  return { repositoryId: repo.id, ownerId: s.ownerId, groupIds: [...s.groupIds] };
}
