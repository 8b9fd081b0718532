import { memo } from 'react';
import { HEALTH_LABELS, HealthBadge } from '../components/HealthBadge.js';
import { Usage } from '../components/Usage.js';
import { absoluteTime, relativeTime } from '../format.js';
import type { OverviewRow } from '../overview/row.js';
import type { OverviewView } from '../overview/view.js';
import { href } from '../route.js';

/** Every row has this height (CSS keeps it: one line per cell part, overflow ellipsed). */
export const ROW_HEIGHT = 64;

interface Props {
  row: OverviewRow;
  /** aria-rowindex (1-based, the header row counts). */
  index: number;
  manyHives: boolean;
  view: OverviewView;
  /** The row's hive is away: the health shown is the last known one, never a current OK. */
  offline: boolean;
}

/** One repository; memoised so a live message re-renders only the row it changed. */
export const OverviewRowView = memo(function OverviewRowView({
  row,
  index,
  manyHives,
  view,
  offline,
}: Props) {
  const { hiveId, hiveName, repository } = row;
  const { health, owner } = repository;
  const ownerView = { ...view, hiveIds: [], owner: { hiveId, id: owner.id } };
  return (
    <tr
      className={`overview-row state-${offline ? 'offline' : health.state.toLowerCase()}`}
      data-testid="repository-row"
      aria-rowindex={index}
    >
      <th scope="row" className="col-name">
        <a className="cell-line" href={href({ screen: 'repository', hiveId, id: repository.id })}>
          {repository.name}
        </a>
        <div className="cell-line muted small">
          {manyHives && <span className="hive-inline">{hiveName} · </span>}
          <span className="mono">{repository.repoUser}</span> ·{' '}
          <a
            href={href({ screen: 'overview', view: ownerView })}
            title={`Only ${owner.username}’s repositories`}
          >
            {owner.username}
          </a>
        </div>
      </th>
      {manyHives && (
        <td className="col-hive">
          <span className="cell-line">{hiveName}</span>
        </td>
      )}
      <td className="col-backup" title={absoluteTime(repository.lastBackupAt)}>
        <span className="cell-line">{relativeTime(repository.lastBackupAt)}</span>
      </td>
      <td className="col-usage">
        <Usage repository={repository} />
      </td>
      <td className="col-health">
        {offline ? (
          <span className="badge badge-health-offline" title="The hive is not connected">
            Hive offline
          </span>
        ) : (
          <HealthBadge health={health} />
        )}
        {repository.mode !== 'BORG' && <span className="badge badge-mode">{repository.mode}</span>}
        {repository.alertAfterDays === null && <span className="badge badge-mode">alerts off</span>}
        <div
          className="cell-line muted small"
          title={health.since ? `${health.reason} (since ${absoluteTime(health.since)})` : health.reason}
        >
          {offline ? `Last known: ${HEALTH_LABELS[health.state]} · ${health.reason}` : health.reason}
        </div>
      </td>
    </tr>
  );
});
