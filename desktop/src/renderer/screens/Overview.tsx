import { StateBadges } from '../components/StateBadges.js';
import { absoluteTime, formatBytes, relativeTime } from '../format.js';
import type { RepositoryRow } from '../graphql/types.js';
import { useHives } from '../hives/hive-connection.js';
import { href } from '../route.js';
import { compareForOverview } from './overview-order.js';
import { useAllRepositories } from './use-all-repositories.js';

/** Every repository of every hive; what needs attention (stale, then in progress) comes first. */
export function Overview() {
  const hives = useHives();
  const byHive = useAllRepositories(hives);
  const rows = hives
    .flatMap(({ hive }) =>
      (byHive.get(hive.id)?.repositories ?? []).map((repository) => ({
        hiveId: hive.id,
        hiveName: hive.name,
        repository,
      })),
    )
    .sort(compareForOverview);
  const stale = rows.filter((row) => row.repository.isStale).length;
  const open = rows.filter((row) => row.repository.isOpen).length;
  const loading = hives.some(({ hive }) => byHive.get(hive.id)?.loading ?? true);
  // The web console (and a desktop app with one hive) has no use for a hive column.
  const manyHives = hives.length > 1;

  return (
    <>
      <header className="page-header">
        <h1>Overview</h1>
      </header>
      <div className="stats" role="list" aria-label="Summary">
        <Stat label="Repositories" value={rows.length} />
        <Stat label="Stale" value={stale} tone={stale > 0 ? 'danger' : undefined} />
        <Stat label="In progress" value={open} />
        {manyHives && <Stat label="Hives" value={hives.length} />}
      </div>
      {hives.map(({ hive }) => {
        const error = byHive.get(hive.id)?.error;
        return error ? (
          <p key={hive.id} role="alert" className="error">
            {hive.name}: {error}
          </p>
        ) : null;
      })}
      {hives.length === 0 && <p className="empty">No hives yet: add one under “Manage hives”.</p>}
      {rows.length === 0 && hives.length > 0 && !loading && (
        <p className="empty">
          No repositories yet.{' '}
          <a href={href({ screen: 'new-repository', hiveId: hives[0]!.hive.id })}>Create one</a>.
        </p>
      )}
      {rows.length > 0 && (
        <div className="card table-card">
          <table className="table" aria-label="Repositories">
            <thead>
              <tr>
                <th scope="col">Repository</th>
                {manyHives && <th scope="col">Hive</th>}
                <th scope="col">Last backup</th>
                <th scope="col">Usage</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ hiveId, hiveName, repository }) => (
                <tr
                  key={`${hiveId}:${repository.id}`}
                  className={repository.isStale ? 'row-stale' : undefined}
                  data-testid="repository-row"
                >
                  <th scope="row">
                    <a href={href({ screen: 'repository', hiveId, id: repository.id })}>{repository.name}</a>
                    <div className="muted mono small">{repository.repoUser}</div>
                  </th>
                  {manyHives && <td>{hiveName}</td>}
                  <td title={absoluteTime(repository.lastBackupAt)}>
                    {relativeTime(repository.lastBackupAt)}
                  </td>
                  <td>
                    <Usage repository={repository} />
                  </td>
                  <td>
                    <StateBadges repository={repository} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: 'danger' | undefined }) {
  return (
    <div className={`stat card${tone ? ` stat-${tone}` : ''}`} role="listitem">
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

export function Usage({ repository }: { repository: RepositoryRow }) {
  const { usageBytes, quotaBytes } = repository;
  if (!quotaBytes) return <span>{formatBytes(usageBytes)}</span>;
  const percent = Math.min(100, Math.round(((usageBytes ?? 0) / quotaBytes) * 100));
  return (
    <span className="usage">
      {formatBytes(usageBytes)} <span className="muted">of {formatBytes(quotaBytes)}</span>
      <meter
        min={0}
        max={100}
        low={80}
        high={95}
        optimum={0}
        value={percent}
        aria-label={`${percent}% of quota`}
      />
    </span>
  );
}
