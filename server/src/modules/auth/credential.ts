import type { Em } from '../../db/orm.js';
import type { User } from '../user/index.js';
import { ApiToken } from './api-token.entity.js';
import type { AuthInfo } from './auth-info.js';
import { Session } from './session.entity.js';
import { TokenScope } from './token-scope.js';

/** A login session or an API token, by id (what an open WebSocket remembers of its bearer). */
export interface CredentialRef {
  via: AuthInfo['via'];
  credentialId: number;
}

export type DeadReason = 'revoked' | 'expired';

/** What a credential is worth now: the caller it stands for, or why it no longer counts. */
export type CredentialState =
  { live: true; auth: AuthInfo; expiresAt: Date | null } | { live: false; reason: DeadReason };

export function credentialKey(ref: CredentialRef): string {
  return `${ref.via}:${ref.credentialId}`;
}

export function authInfoOf(
  user: User,
  scope: TokenScope,
  via: AuthInfo['via'],
  credentialId: number,
  locationId: number | null = null,
): AuthInfo {
  return {
    userId: user.id,
    username: user.username,
    isAdmin: user.isAdmin,
    groupIds: user.groups.getItems().map((g) => g.id),
    scope,
    via,
    credentialId,
    locationId,
  };
}

/** Revoked or expired (a row that no longer exists, e.g. its user was deleted, is revoked). */
export function deadReason(
  row: { revokedAt: Date | null; expiresAt: Date | null } | null,
  now: Date,
): DeadReason | null {
  if (!row || row.revokedAt) return 'revoked';
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return null;
}

export function stateOfSession(s: Session | null, now: Date): CredentialState {
  const dead = deadReason(s, now);
  if (dead || !s) return { live: false, reason: dead ?? 'revoked' };
  return {
    live: true,
    auth: {
      ...authInfoOf(s.user.getEntity(), TokenScope.FULL, 'session', s.id),
      secondFactor: s.secondFactor,
    },
    expiresAt: s.expiresAt,
  };
}

export function stateOfToken(t: ApiToken | null, now: Date): CredentialState {
  const dead = deadReason(t, now);
  if (dead || !t) return { live: false, reason: dead ?? 'revoked' };
  return {
    live: true,
    auth: authInfoOf(t.user.getEntity(), t.scope, 'token', t.id, t.location?.id ?? null),
    expiresAt: t.expiresAt,
  };
}

const CHUNK = 500;

function idsOf(refs: readonly CredentialRef[], via: AuthInfo['via']): number[][] {
  const ids = [...new Set(refs.filter((r) => r.via === via).map((r) => r.credentialId))];
  const chunks: number[][] = [];
  for (let i = 0; i < ids.length; i += CHUNK) chunks.push(ids.slice(i, i + CHUNK));
  return chunks;
}

/**
 * Re-reads credentials by id, a few statements for any number of them (pass a fresh EntityManager: what
 * it already holds is not read again). Every ref gets a state; one whose row is gone is revoked.
 */
export async function checkCredentials(
  em: Em,
  refs: readonly CredentialRef[],
  now: Date,
): Promise<Map<string, CredentialState>> {
  const states = new Map<string, CredentialState>();
  const populate = ['user', 'user.groups'] as const;
  for (const ids of idsOf(refs, 'session')) {
    for (const s of await em.find(Session, { id: { $in: ids } }, { populate })) {
      states.set(credentialKey({ via: 'session', credentialId: s.id }), stateOfSession(s, now));
    }
  }
  for (const ids of idsOf(refs, 'token')) {
    for (const t of await em.find(ApiToken, { id: { $in: ids } }, { populate })) {
      states.set(credentialKey({ via: 'token', credentialId: t.id }), stateOfToken(t, now));
    }
  }
  for (const ref of refs) {
    const key = credentialKey(ref);
    if (!states.has(key)) states.set(key, { live: false, reason: 'revoked' });
  }
  return states;
}

/** True when `next` sees less than `prev` did (not admin any more, left a group, narrower scope). */
export function narrowed(prev: AuthInfo, next: AuthInfo): boolean {
  if (prev.userId !== next.userId || prev.scope !== next.scope) return true;
  if (prev.isAdmin && !next.isAdmin) return true;
  return prev.groupIds.some((g) => !next.groupIds.includes(g));
}
