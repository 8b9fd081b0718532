import DataLoader from 'dataloader';
import type { Em } from '../db/orm.js';
import { repositoryViews } from '../modules/repository/repository-list.js';
import type { RepositoryView } from '../modules/repository/repository.view.js';
import { SshKey } from '../modules/ssh-key/ssh-key.entity.js';
import type { Group } from '../modules/user/group.entity.js';
import { User } from '../modules/user/user.entity.js';

type Row = Record<string, unknown>;

/** Keeps every `in (...)` list far below the drivers' parameter limits. */
const BATCH = { maxBatchSize: 500 };

function byKey<K, V>(keys: readonly K[], found: Map<K, V>, missing: V): V[] {
  return keys.map((k) => found.get(k) ?? missing);
}

/** Ids likely asked for next (a live burst's repositories): read in the first batch that asks for any. */
export interface RelatedIds {
  repositories?: () => readonly number[];
}

/**
 * Objects a field reaches from a plain view (an event's repository and log, a key's owner and groups, a
 * user's groups), read in one batch per kind and kept for the loaders' life. A live message has its own
 * set shared by every subscriber, so a field costs the same statements for one subscriber as for 5,000.
 */
export function objectLoaders(em: Em, related: RelatedIds = {}) {
  const repositories: DataLoader<number, RepositoryView | null> = new DataLoader(async (ids) => {
    const extra = (related.repositories?.() ?? []).filter((id) => !ids.includes(id));
    const views = await repositoryViews(em, [...ids, ...extra.slice(0, BATCH.maxBatchSize)]);
    const found = new Map(views.map((v) => [v.id, v]));
    // the companions answer later loads from the cache (prime keeps a key already there)
    for (const id of extra) if (found.has(id)) repositories.prime(id, found.get(id)!);
    return byKey(ids, found, null);
  }, BATCH);
  return {
    repositories,
    users: new DataLoader<number, User | null>(async (ids) => {
      const users = await em.find(User, { id: { $in: [...ids] } });
      return byKey(ids, new Map(users.map((u) => [u.id, u])), null);
    }, BATCH),
    userGroups: new DataLoader<number, Group[]>(async (ids) => {
      const users = await em.find(User, { id: { $in: [...ids] } }, { populate: ['groups'] });
      return byKey(ids, new Map(users.map((u) => [u.id, u.groups.getItems()])), []);
    }, BATCH),
    sshKeyGroups: new DataLoader<number, Group[]>(async (ids) => {
      const keys = await em.find(SshKey, { id: { $in: [...ids] } }, { populate: ['groups'] });
      return byKey(ids, new Map(keys.map((k) => [k.id, k.groups.getItems()])), []);
    }, BATCH),
    /** `log` is a lazy column (up to 100 kB): read only when a client asks for it. */
    eventLogs: new DataLoader<number, string | null>(async (ids) => {
      const rows = await em
        .getConnection()
        .execute<Row[]>(
          `select id, log from repository_events where id in (${ids.map(() => '?').join(',')})`,
          [...ids],
        );
      return byKey(
        ids,
        new Map(rows.map((r) => [Number(r.id), r.log == null ? null : (r.log as string)])),
        null,
      );
    }, BATCH),
  };
}
