import type { Audience } from '../../graphql/event-bus.js';
import { shareableOf } from '../auth/auth-info.js';
import type { Repository } from './repository.entity.js';

/** Who may hear about this repository: travels with every event so subscribers filter without a query. */
export function audienceOf(repo: Repository): Audience {
  const s = shareableOf(repo);
  return { repositoryId: repo.id, ownerId: s.ownerId, groupIds: [...s.groupIds] };
}
