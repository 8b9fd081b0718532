import type { Collection } from '@mikro-orm/core';
import type { Group } from '../user/index.js';
import { type TokenScope } from './token-scope.js';

/** Who is calling, resolved once per request or WebSocket connection. */
export interface AuthInfo {
  userId: number;
  username: string;
  isAdmin: boolean;
  groupIds: number[];
  scope: TokenScope;
  via: 'session' | 'token';
  credentialId: number;
  /** AGENT tokens: the location the token is bound to (null: none, the agent operations refuse it). */
  locationId: number | null;
  /** Sessions: signed in with a second factor, or enrolled one since (BORGHIVE_REQUIRE_SECOND_FACTOR). */
  secondFactor?: boolean;
}

/** Owner/group visibility of an object, as in the original: owner, any shared group, or admin. */
export interface Shareable {
  ownerId: number;
  groupIds: readonly number[];
}

/** Anything owned by a user and shared with groups: repositories, keys, channels. */
export interface Owned {
  owner: { id: number };
  groups: Collection<Group>;
}

/** Who may see an owned object; its groups count only when they were loaded. */
export function shareableOf(obj: Owned): Shareable {
  return {
    ownerId: obj.owner.id,
    groupIds: obj.groups.isInitialized() ? obj.groups.getIdentifiers<number>() : [],
  };
}

export function canAccess(auth: AuthInfo, obj: Shareable): boolean {
  if (auth.isAdmin) return true;
  if (obj.ownerId === auth.userId) return true;
  return obj.groupIds.some((g) => auth.groupIds.includes(g));
}

/** The same rule as a query filter for entities with `owner` and `groups`: lists are filtered in SQL. */
export function visibleWhere(auth: AuthInfo): object {
  if (auth.isAdmin) return {};
  const or: object[] = [{ owner: auth.userId }];
  if (auth.groupIds.length > 0) or.push({ groups: { $in: auth.groupIds } });
  return { $or: or };
}
