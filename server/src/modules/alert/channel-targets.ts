import type { Em } from '../../db/orm.js';

/** An enabled channel, reduced to what decides which repositories it serves. */
export interface ChannelTarget {
  id: number;
  ownerId: number;
  /** The channel's own groups and its owner's groups. */
  groupIds: Set<number>;
  /** Empty: every repository its owner may see as a user, and those of the groups it is shared with. */
  repositoryIds: Set<number>;
}

export interface AlertedRepository {
  id: number;
  ownerId: number;
  groupIds: readonly number[];
}

/** Every enabled channel with its groups and chosen repositories: four statements, whatever the count. */
export async function loadChannelTargets(em: Em): Promise<ChannelTarget[]> {
  const conn = em.getConnection();
  const tx: unknown = em.getTransactionContext(); // MikroORM types the driver transaction as any
  const channels = await conn.execute<{ id: number; owner_id: number }[]>(
    'select id, owner_id from notification_channels where enabled = 1',
    [],
    'all',
    tx,
  );
  const targets = new Map<number, ChannelTarget>(
    channels.map((c) => [
      Number(c.id),
      { id: Number(c.id), ownerId: Number(c.owner_id), groupIds: new Set(), repositoryIds: new Set() },
    ]),
  );
  if (targets.size === 0) return [];
  type Pivot = { channel: number; other: number }[];
  const groups = await conn.execute<Pivot>(
    'select notification_channel_id as channel, group_id as other from notification_channel_groups',
    [],
    'all',
    tx,
  );
  for (const g of groups) targets.get(Number(g.channel))?.groupIds.add(Number(g.other));
  const members = await conn.execute<{ user_id: number; group_id: number }[]>(
    'select user_id, group_id from group_members',
    [],
    'all',
    tx,
  );
  const byOwner = new Map<number, ChannelTarget[]>();
  for (const t of targets.values()) byOwner.set(t.ownerId, [...(byOwner.get(t.ownerId) ?? []), t]);
  for (const m of members) {
    for (const t of byOwner.get(Number(m.user_id)) ?? []) t.groupIds.add(Number(m.group_id));
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
 * The channels an alert about `repo` goes to. A channel with a chosen set of repositories serves exactly
 * those. A channel without one serves every repository its owner may see as a user (owned, or shared
 * with one of the owner's groups: the contract's "empty = all repositories the owner may see") and the
 * repositories shared with a group the channel itself is shared with, so sharing a channel with a group
 * makes it that group's alert channel. An admin's right to see everything does not count: an admin's
 * channel would otherwise get every alert of the hive.
 */
export function channelsFor(targets: readonly ChannelTarget[], repo: AlertedRepository): number[] {
  return targets
    .filter((c) =>
      c.repositoryIds.size > 0
        ? c.repositoryIds.has(repo.id)
        : c.ownerId === repo.ownerId || repo.groupIds.some((g) => c.groupIds.has(g)),
    )
    .map((c) => c.id);
}
