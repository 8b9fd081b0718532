import type { Em } from '../../db/orm.js';
import { ABSENT_REPOSITORY, type RepositoryState } from '../../adapters/watcher/repository-state.js';
import {
  BorgVersion,
  RepositoryEventType,
  RepositoryEvent,
  RepositoryMode,
  Repository,
} from '../repository/index.js';
import type { KnownRepository } from './event-sink.js';

/**
 * Every repository with the state the database believes: open, last update and access as stored;
 * initialized (and present) when its newest CREATED/DELETED event is CREATED, or, never watched
 * before, when an update was ever seen. With `locationId`, only the repositories of that location (what
 * the agent of that storage node may see).
 */
export async function knownRepositories(em: Em, locationId?: number): Promise<KnownRepository[]> {
  const where = locationId === undefined ? {} : { location: locationId };
  const repos = await em.find(Repository, where, {
    fields: [
      'repoUser',
      'name',
      'mode',
      'borgVersion',
      'archiveCount',
      'isOpen',
      'lastAccessAt',
      'lastUpdatedAt',
    ],
    orderBy: { id: 'asc' },
  });
  const marks = await em.find(
    RepositoryEvent,
    {
      type: { $in: [RepositoryEventType.CREATED, RepositoryEventType.DELETED] },
      ...(locationId === undefined ? {} : { repository: where }),
    },
    { fields: ['repository', 'type'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const lastMark = new Map<number, RepositoryEventType>();
  for (const mark of marks) lastMark.set(mark.repository.id, mark.type);
  const keys = await borg2KeyIds(em, locationId);
  return repos.map((repo) => {
    const mark = lastMark.get(repo.id);
    const initialized =
      mark === undefined ? repo.lastUpdatedAt !== null : mark === RepositoryEventType.CREATED;
    const state: RepositoryState = initialized
      ? {
          exists: true,
          initialized: true,
          isOpen: repo.isOpen,
          lastUpdatedAt: repo.lastUpdatedAt,
          lastAccessAt: repo.lastAccessAt,
        }
      : { ...ABSENT_REPOSITORY, lastUpdatedAt: repo.lastUpdatedAt, lastAccessAt: repo.lastAccessAt };
    const borg2 = repo.mode === RepositoryMode.BORG && repo.borgVersion === BorgVersion.BORG2;
    return {
      repoUser: repo.repoUser,
      repoName: repo.name,
      state,
      ...(borg2
        ? {
            borgVersion: 'BORG2' as const,
            archiveCount: repo.archiveCount,
            keyIds: keys.get(repo.id) ?? null,
          }
        : {}),
    };
  });
}

/**
 * The key objects each borg 2 repository holds as far as the hive knows: its KEY_ADDED and KEY_REMOVED
 * events (their logs list the object ids) replayed in order. A repository without such events is absent
 * (never seen a key). Keys change rarely: a handful of events per repository.
 */
async function borg2KeyIds(em: Em, locationId?: number): Promise<Map<number, string[]>> {
  const events = await em.find(
    RepositoryEvent,
    {
      type: { $in: [RepositoryEventType.KEY_ADDED, RepositoryEventType.KEY_REMOVED] },
      repository: {
        mode: RepositoryMode.BORG,
        borgVersion: BorgVersion.BORG2,
        ...(locationId === undefined ? {} : { location: locationId }),
      },
    },
    { fields: ['repository', 'type', 'log'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const held = new Map<number, Set<string>>();
  for (const event of events) {
    const ids = held.get(event.repository.id) ?? new Set<string>();
    held.set(event.repository.id, ids);
    for (const id of (event.log ?? '').split('\n').filter(Boolean)) {
      if (event.type === RepositoryEventType.KEY_ADDED) ids.add(id);
      else ids.delete(id);
    }
  }
  return new Map([...held].map(([id, ids]) => [id, [...ids].sort()]));
}
