import type { Em } from '../../db/orm.js';
import { carries, validateRules, type AlertEvent, type AlertRules } from '../notification/index.js';

/** An enabled channel, reduced to what decides which repositories it serves. */
export interface ChannelTarget {
  id: number;
  ownerId: number;
  ownerIsAdmin: boolean;
  /** The groups its owner is a member of now. */
  ownerGroupIds: Set<number>;
  /** Empty: every repository its owner may see as a user. */
  repositoryIds: Set<number>;
  /** Which messages it carries, quiet hours, digest (invalid stored rules read as the defaults). */
  rules: AlertRules;
}

/** Stored JSON (a string in SQLite, parsed or not in MariaDB) as rules; anything invalid: the defaults. */
export function storedRules(value: unknown): AlertRules {
  try {
    return validateRules(typeof value === 'string' ? JSON.parse(value) : value);
  } catch {
    return validateRules(null);
  }
}

export interface AlertedRepository {
  id: number;
  ownerId: number;
  groupIds: readonly number[];
}

/** Every enabled channel with its owner's groups and chosen repositories: three statements, whatever the count. */
export async function loadChannelTargets(em: Em): Promise<ChannelTarget[]> {
  const conn = em.getConnection();
  const tx: unknown = em.getTransactionContext(); // MikroORM types the driver transaction as any
  const channels = await conn.execute<
    { id: number; owner_id: number; is_admin: number | boolean; rules: unknown }[]
  >(
    'select c.id, c.owner_id, u.is_admin, c.rules from notification_channels c join users u on u.id = c.owner_id where c.enabled = 1',
    [],
    'all',
    tx,
  );
  const targets = new Map<number, ChannelTarget>(
    channels.map((c) => [
      Number(c.id),
      {
        id: Number(c.id),
        ownerId: Number(c.owner_id),
        ownerIsAdmin: Boolean(Number(c.is_admin)),
        ownerGroupIds: new Set(),
        repositoryIds: new Set(),
        rules: storedRules(c.rules),
      },
    ]),
  );
  if (targets.size === 0) return [];
  type Pivot = { channel: number; other: number }[];
  const members = await conn.execute<{ user_id: number; group_id: number }[]>(
    'select user_id, group_id from group_members',
    [],
    'all',
    tx,
  );
  const byOwner = new Map<number, ChannelTarget[]>();
  for (const t of targets.values()) byOwner.set(t.ownerId, [...(byOwner.get(t.ownerId) ?? []), t]);
  for (const m of members) {
    for (const t of byOwner.get(Number(m.user_id)) ?? []) t.ownerGroupIds.add(Number(m.group_id));
  }
  const repos = await conn.execute<Pivot>(
    'select notification_channel_id as channel, repository_id as other from notification_channel_repositories',
    [],
    'all',
    tx,
  );
  for (const r of repos) targets.get(Number(r.channel))?.repositoryIds.add(Number(r.other));
  return [...targets.values()];
}

/**
 * The channels an alert about `repo` goes to: only channels whose owner may see the repository now,
 * because the owner chooses where the channel sends (group members a channel is shared with see it but
 * may not change it). A channel with a chosen set of repositories serves those of them; one without
 * serves every repository its owner may see as a user (owned, or shared with one of the owner's
 * groups: the contract's "empty = all repositories the owner may see"). An admin's right to see
 * everything counts only for repositories the admin chose: an admin's channel would otherwise get
 * every alert of the hive. Sharing a channel with a group adds no repositories of its own, so a
 * shared channel never carries an alert its owner could not read.
 */
export function channelsFor(targets: readonly ChannelTarget[], repo: AlertedRepository): ChannelTarget[] {
  return targets.filter((c) => {
    const ownerSees = c.ownerId === repo.ownerId || repo.groupIds.some((g) => c.ownerGroupIds.has(g));
    return c.repositoryIds.size > 0
      ? c.repositoryIds.has(repo.id) && (ownerSees || c.ownerIsAdmin)
      : ownerSees;
  });
}

/** Of those channels, the ones whose rules carry `event` (`repeat`: a repeat of an alert already sent). */
export function carriedBy(
  targets: readonly ChannelTarget[],
  repo: AlertedRepository,
  event: AlertEvent,
  repeat = false,
): ChannelTarget[] {
  return channelsFor(targets, repo).filter((c) => carries(c.rules, event, repeat));
}
