import type { Audience } from '../../graphql/event-bus.js';
import { ForbiddenError, NotFoundError } from '../../graphql/errors.js';
import { shareableOf, type AuthInfo } from '../auth/index.js';
import type { Repository } from './repository.entity.js';
import { ShareRole } from './share-role.js';

/** Who may hear about this repository: travels with every event so subscribers filter without a query. */
export function audienceOf(repo: Repository): Audience {
  const s = shareableOf(repo);
  return { repositoryId: repo.id, ownerId: s.ownerId, groupIds: [...s.groupIds] };
}

/**
 * What may be done to a repository, from least to most. VIEW: see it, its events, statistics and
 * subscriptions. OPERATE: refresh it (later: run its jobs and maintenance). MANAGE: change its settings
 * (name, location, alerts), keys, quota and mode, and delete it (with or without its data). SHARE: change
 * whom it is shared with and how: the owner's (and an admin's) alone, so a member never raises a role.
 */
export enum RepositoryAction {
  VIEW = 'VIEW',
  OPERATE = 'OPERATE',
  MANAGE = 'MANAGE',
  SHARE = 'SHARE',
}

/** The caller's standing: OWNER for the owner and admins (everything), else the best role of its groups. */
export type RepositoryStanding = 'OWNER' | ShareRole | null;

export interface ShareOf {
  groupId: number;
  role: ShareRole;
}

const RANK: Record<RepositoryStanding & string, number> = {
  [ShareRole.VIEW]: 1,
  [ShareRole.OPERATE]: 2,
  [ShareRole.MANAGE]: 3,
  OWNER: 4,
};

const NEEDS: Record<RepositoryAction, number> = {
  [RepositoryAction.VIEW]: RANK.VIEW,
  [RepositoryAction.OPERATE]: RANK.OPERATE,
  [RepositoryAction.MANAGE]: RANK.MANAGE,
  [RepositoryAction.SHARE]: RANK.OWNER,
};

/** The shares of an entity; they must have been loaded (an unloaded list would silently grant nothing). */
export function sharesOf(repo: Repository): ShareOf[] {
  if (!repo.shares.isInitialized()) throw new Error(`repository ${repo.id}: shares not loaded`);
  return repo.shares.getItems().map((s) => ({ groupId: s.group.id, role: s.role }));
}

export function standingOf(
  auth: AuthInfo,
  repo: { ownerId: number; shares: readonly ShareOf[] },
): RepositoryStanding {
  if (auth.isAdmin || repo.ownerId === auth.userId) return 'OWNER';
  let best: ShareRole | null = null;
  for (const s of repo.shares) {
    if (!auth.groupIds.includes(s.groupId)) continue;
    if (best === null || RANK[s.role] > RANK[best]) best = s.role;
  }
  return best;
}

export function mayDo(standing: RepositoryStanding, action: RepositoryAction): boolean {
  return standing !== null && RANK[standing] >= NEEDS[action];
}

/**
 * The one check every repository mutation goes through: NOT_FOUND when the caller may not even see it
 * (existence is not revealed), FORBIDDEN when it may see it but not do this.
 */
export function requireRepositoryAction(auth: AuthInfo, repo: Repository, action: RepositoryAction): void {
  const standing = standingOf(auth, { ownerId: repo.owner.id, shares: sharesOf(repo) });
  if (!mayDo(standing, RepositoryAction.VIEW)) throw new NotFoundError('repository', repo.id);
  if (!mayDo(standing, action)) {
    const need = action === RepositoryAction.SHARE ? 'its owner or an admin' : `the ${action} role`;
    throw new ForbiddenError(`you may not do this to repository ${repo.id}: it needs ${need}`);
  }
}
