import type { Em } from '../../db/orm.js';

/** An enabled channel, reduced to what decides which repositories it serves. */
export interface ChannelTarget {
  id: number;
  ownerId: number;
  groupIds: Set<number>;
  /** Empty: the channel serves every repository of its owner and of the groups it is shared with. */
  repositoryIds: Set<number>;
}

export interface AlertedRepository {
  id: number;
  ownerId: number;
  groupIds: readonly number[];
}

/** Every enabled channel with its groups and chosen repositories: three statements, whatever the count. */
export async function loadChannelTargets(em: Em): Promise<ChannelTarget[]> {
  const conn = em.getConnection();
  const tx = em.getTransactionContext();
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
 * those. A channel without one serves its owner's repositories and the repositories shared with a group
 * the channel itself is shared with: sharing a channel with a group makes it that group's alert channel.
 * It does NOT serve every repository its owner merely may see (an admin's channel would get every
 * alert of the hive).
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
