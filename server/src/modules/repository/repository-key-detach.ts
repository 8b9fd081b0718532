import type { Em } from '../../db/orm.js';
import type { EventService } from './event.service.js';
import { RepositoryEventType } from './repository-event-type.js';
import type { RepositoryEvent } from './repository-event.entity.js';
import { Repository } from './repository.entity.js';

type Row = Record<string, unknown>;

const PIVOTS = [
  'repository_ssh_keys',
  'repository_append_only_keys',
  'repository_read_only_keys',
  'repository_write_only_keys',
] as const;

export interface DetachScope {
  repositoryIds: readonly number[];
  /** Only keys of these users (e.g. the member who left); all owners when absent. */
  ownerIds?: readonly number[];
}

/**
 * A key opens a repository for its owner; when the owner can no longer reach the repository (not its
 * owner, not an admin, in no group it is shared with) the key must not open it either. Run inside the
 * transaction that removed the access (a member left a group, a group was deleted, a share was removed):
 * detaches those keys and records an event on each repository, in that same transaction. Returns what to
 * publish once the transaction has committed.
 */
export async function detachUnreachableKeys(
  em: Em,
  events: EventService,
  scope: DetachScope,
): Promise<() => Promise<void>> {
  if (scope.repositoryIds.length === 0) return async () => undefined;
  const conn = em.getConnection();
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the driver types its transaction handle as any
  const tx = em.getTransactionContext();
  const repoMarks = scope.repositoryIds.map(() => '?').join(',');
  const ownerFilter = scope.ownerIds?.length
    ? `and k.owner_id in (${scope.ownerIds.map(() => '?').join(',')})`
    : '';
  const params = [...scope.repositoryIds, ...(scope.ownerIds ?? [])];
  const found: { pivot: string; repositoryId: number; keyId: number; key: string; owner: string }[] = [];
  for (const pivot of PIVOTS) {
    const rows = await conn.execute<Row[]>(
      `select p.repository_id, p.ssh_key_id, k.name as key_name, u.username
         from ${pivot} p
         join repositories r on r.id = p.repository_id
         join ssh_keys k on k.id = p.ssh_key_id
         join users u on u.id = k.owner_id
        where p.repository_id in (${repoMarks}) ${ownerFilter}
          and k.owner_id <> r.owner_id and u.is_admin = 0
          and not exists (select 1 from repository_groups s
                            join group_members m on m.group_id = s.group_id
                           where s.repository_id = r.id and m.user_id = k.owner_id)`,
      params,
      'all',
      tx,
    );
    for (const r of rows)
      found.push({
        pivot,
        repositoryId: Number(r.repository_id),
        keyId: Number(r.ssh_key_id),
        key: String(r.key_name),
        owner: String(r.username),
      });
  }
  if (found.length === 0) return async () => undefined;
  for (const f of found)
    await conn.execute(
      `delete from ${f.pivot} where repository_id = ? and ssh_key_id = ?`,
      [f.repositoryId, f.keyId],
      'run',
      tx,
    );
  const repos = await em.find(
    Repository,
    { id: { $in: [...new Set(found.map((f) => f.repositoryId))] } },
    { populate: ['groups'], refresh: true },
  );
  const recorded: { repo: Repository; event: RepositoryEvent }[] = [];
  for (const repo of repos)
    for (const f of found.filter((x) => x.repositoryId === repo.id)) {
      const message = `ssh key "${f.key}" of ${f.owner} detached: ${f.owner} may no longer reach this repository`;
      recorded.push({ repo, event: events.prepare(em, repo, RepositoryEventType.UPDATED, message) });
    }
  await em.flush();
  return async () => {
    for (const { repo, event } of recorded) await events.published(repo, event);
    for (const repo of repos) await events.changed(em, repo);
  };
}
