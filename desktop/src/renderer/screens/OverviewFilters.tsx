import { useEffect, useState } from 'react';
import { HEALTH_LABELS } from '../components/HealthBadge.js';
import type { RepositoryTotals } from '../graphql/types.js';
import type { HiveConnection } from '../hives/hive-connection.js';
import { countInState } from '../overview/totals.js';
import { HEALTH_STATES, ORDERS, toggle, type OverviewView } from '../overview/view.js';
import type { RepositoryOrder } from '../graphql/types.js';

const ORDER_LABELS: Readonly<Record<RepositoryOrder, string>> = {
  ATTENTION: 'Attention',
  NAME: 'Name',
  LAST_BACKUP: 'Last backup',
  USAGE: 'Usage',
};

interface Props {
  view: OverviewView;
  hives: readonly HiveConnection[];
  /** Counts per state over the hives shown (null while a hive has not answered). */
  totals: readonly RepositoryTotals[] | null;
  /** The owner filter's username, once a row of theirs is loaded. */
  ownerName: string | null;
  onChange: (view: OverviewView, replace?: boolean) => void;
}

/** Search box and filter chips; every change goes to the URL (typing replaces, chips push history). */
export function OverviewFilters({ view, hives, totals, ownerName, onChange }: Props) {
  const [text, setText] = useState(view.search);
  useEffect(() => setText(view.search), [view.search]);
  useEffect(() => {
    if (text === view.search) return;
    const timer = setTimeout(() => onChange({ ...view, search: text }, true), 250);
    return () => clearTimeout(timer);
  }, [text, view, onChange]);
  const owner = view.owner;

  return (
    <div className="overview-filters">
      <input
        type="search"
        className="overview-search"
        aria-label="Search repositories"
        placeholder="Search name, repo user or owner"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <div className="chips" role="group" aria-label="Health">
        <span className="chips-label" aria-hidden="true">
          Health
        </span>
        {HEALTH_STATES.map((state) => (
          <button
            key={state}
            type="button"
            className={`chip chip-${state.toLowerCase()}`}
            aria-pressed={view.states.includes(state)}
            onClick={() => onChange({ ...view, states: toggle(view.states, state) })}
          >
            {HEALTH_LABELS[state]}
            {totals && <span className="chip-count">{countInState(totals, state)}</span>}
          </button>
        ))}
      </div>
      {hives.length > 1 && !owner && (
        <div className="chips" role="group" aria-label="Hives">
          <span className="chips-label" aria-hidden="true">
            Hive
          </span>
          {hives.map(({ hive }) => (
            <button
              key={hive.id}
              type="button"
              className="chip"
              aria-pressed={view.hiveIds.includes(hive.id)}
              onClick={() => onChange({ ...view, hiveIds: toggle(view.hiveIds, hive.id) })}
            >
              {hive.name}
            </button>
          ))}
        </div>
      )}
      {/* Narrow screens hide some sortable columns: the same choice as a select. */}
      <div className="chips sort-narrow">
        <label className="chips-label" htmlFor="overview-sort">
          Sort
        </label>
        <select
          id="overview-sort"
          value={view.order}
          onChange={(event) =>
            onChange({ ...view, order: event.target.value as RepositoryOrder, reverse: false })
          }
        >
          {ORDERS.map((order) => (
            <option key={order} value={order}>
              {ORDER_LABELS[order]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="chip"
          aria-pressed={view.reverse}
          onClick={() => onChange({ ...view, reverse: !view.reverse })}
        >
          Reversed
        </button>
      </div>
      {owner && (
        <div className="chips" role="group" aria-label="Owner">
          <button
            type="button"
            className="chip"
            aria-pressed
            onClick={() => onChange({ ...view, owner: null })}
          >
            Owner: {ownerName ?? `#${owner.id}`}
            {hives.length > 1 &&
              ` on ${hives.find(({ hive }) => hive.id === owner.hiveId)?.hive.name ?? owner.hiveId}`}
            <span aria-hidden="true"> ×</span>
          </button>
        </div>
      )}
    </div>
  );
}
