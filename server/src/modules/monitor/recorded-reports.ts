import type { Em } from '../../db/orm.js';
import { RepositoryEvent, RepositoryStatistic, type Repository } from '../repository/index.js';
import type { WatchReport } from './event-sink.js';

/** `<repository id>/<type>/<at ms>`: what identifies a report (and the row it became). */
export const reportKey = (repositoryId: number, type: string, at: Date): string =>
  `${repositoryId}/${type}/${at.getTime()}`;

/** The keys of what the batch reports that is already in the database (a retried batch). */
export async function alreadyRecorded(
  em: Em,
  batch: WatchReport[],
  repos: Map<string, Repository>,
): Promise<Set<string>> {
  const ids = [...new Set([...repos.values()].map((r) => r.id))];
  const seen = new Set<string>();
  if (ids.length === 0) return seen;
  const ats = [...new Set(batch.map((r) => r.at.getTime()))].map((ms) => new Date(ms));
  const events = await em.find(
    RepositoryEvent,
    { repository: { $in: ids }, createdAt: { $in: ats } },
    { fields: ['repository', 'type', 'createdAt'] },
  );
  for (const e of events) seen.add(reportKey(e.repository.id, e.type, e.createdAt));
  if (batch.some((r) => r.type === 'MEASURED')) {
    const stats = await em.find(
      RepositoryStatistic,
      { repository: { $in: ids }, createdAt: { $in: ats } },
      { fields: ['repository', 'createdAt'] },
    );
    for (const s of stats) seen.add(reportKey(s.repository.id, 'MEASURED', s.createdAt));
  }
  return seen;
}
