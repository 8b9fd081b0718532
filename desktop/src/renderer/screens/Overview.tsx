import { useCallback } from 'react';
import './overview.css';
import { formatBytes } from '../format.js';
import { useHives, useOfflineHives } from '../hives/hive-connection.js';
import { countInState, countInView } from '../overview/totals.js';
import { defaultView, hivesOfView, type OverviewView } from '../overview/view.js';
import { encodeView } from '../overview/view-url.js';
import { href, navigate } from '../route.js';
import { OverviewFilters } from './OverviewFilters.js';
import { OverviewTable } from './OverviewTable.js';
import { useOverview } from './use-overview.js';

/**
 * Every repository of every hive, what needs attention first: each hive pages its rows in the chosen
 * order, the table merges them and keeps only the visible rows in the DOM.
 */
export function Overview({ view = defaultView }: { view?: OverviewView | undefined }) {
  const hives = useHives();
  const { offline } = useOfflineHives(hives);
  const { snapshot, need } = useOverview(hives, view);
  const shownHives = hivesOfView(
    view,
    hives.map(({ hive }) => hive.id),
  );
  const totals = snapshot ? [...snapshot.totals.values()] : [];
  const counted = snapshot !== null && snapshot.totals.size === shownHives.length;
  const count = (value: number): number | null => (counted ? value : null);
  const manyHives = hives.length > 1;
  const change = useCallback(
    (next: OverviewView, replace = false): void => navigate({ screen: 'overview', view: next }, { replace }),
    [],
  );
  const errors = [...(snapshot?.lists ?? [])].filter(([, list]) => list.error !== null);
  const rows = snapshot?.merged.rows ?? [];
  const complete = snapshot?.merged.complete ?? false;
  const filtered = encodeView({ ...view, order: defaultView.order, reverse: false }) !== '';

  return (
    <>
      <header className="page-header">
        <h1>Overview</h1>
      </header>
      <div className="stats" role="list" aria-label="Summary">
        <Stat label="Repositories" value={count(countInView(totals, view.states))} />
        <Stat label="Failed" value={count(countInState(totals, 'FAILED'))} danger />
        <Stat label="Stale" value={count(countInState(totals, 'STALE'))} danger />
        <Stat
          label="Usage"
          value={counted ? formatBytes(totals.reduce((n, t) => n + t.usageBytes, 0)) : null}
        />
        {manyHives && <Stat label="Hives" value={hives.length} />}
      </div>
      {hives.length === 0 && <p className="empty">No hives yet: add one under “Manage hives”.</p>}
      {hives.length > 0 && (
        <OverviewFilters
          view={view}
          hives={hives}
          totals={counted ? totals : null}
          ownerName={view.owner ? (rows[0]?.repository.owner.username ?? null) : null}
          onChange={change}
        />
      )}
      {errors.map(([hiveId, list]) => (
        <p key={hiveId} role="alert" className="error">
          {hives.find(({ hive }) => hive.id === hiveId)?.hive.name ?? hiveId}: {list.error}
        </p>
      ))}
      {complete && rows.length === 0 && hives.length > 0 && errors.length === 0 && (
        <p className="empty">
          {filtered ? (
            <>
              No repository matches. <a href={href({ screen: 'overview' })}>Show all</a>.
            </>
          ) : (
            <>
              No repositories yet.{' '}
              <a href={href({ screen: 'new-repository', hiveId: hives[0]!.hive.id })}>Create one</a>.
            </>
          )}
        </p>
      )}
      {hives.length > 0 && !(complete && rows.length === 0) && (
        <OverviewTable
          rows={rows}
          total={counted ? countInView(totals, view.states) : null}
          complete={complete}
          manyHives={manyHives}
          view={view}
          onNeed={need}
          onChange={change}
          offline={offline}
        />
      )}
    </>
  );
}

function Stat({ label, value, danger }: { label: string; value: number | string | null; danger?: boolean }) {
  const alarming = danger === true && typeof value === 'number' && value > 0;
  return (
    <div className={`stat card${alarming ? ' stat-danger' : ''}`} role="listitem">
      <span className="stat-value" aria-busy={value === null}>
        {value ?? '…'}
      </span>
      <span className="stat-label">{label}</span>
    </div>
  );
}
