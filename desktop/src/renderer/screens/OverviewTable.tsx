import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { RepositoryOrder } from '../graphql/types.js';
import type { OverviewRow } from '../overview/row.js';
import { rowKey } from '../overview/row.js';
import { sortBy, type OverviewView } from '../overview/view.js';
import { windowRange } from '../overview/window-range.js';
import { OverviewRowView, ROW_HEIGHT } from './OverviewRowView.js';
import { PAGE_SIZE } from './use-overview.js';

const OVERSCAN = 10;

interface Props {
  rows: readonly OverviewRow[];
  /** Rows the view has over every hive (the summary), null until known. */
  total: number | null;
  complete: boolean;
  manyHives: boolean;
  view: OverviewView;
  onNeed: (count: number) => void;
  onChange: (view: OverviewView) => void;
  /** Hives not connected now: their rows are the last known state and say so. */
  offline: ReadonlySet<string>;
}

/** Where the page's viewport is over the table body: the window scrolls, the table is one long list. */
function useViewport(body: RefObject<HTMLTableSectionElement | null>): { scrollTop: number; height: number } {
  const [viewport, setViewport] = useState({ scrollTop: 0, height: window.innerHeight });
  useLayoutEffect(() => {
    const measure = (): void => {
      const top = body.current?.getBoundingClientRect().top ?? 0;
      const next = { scrollTop: Math.max(0, -top), height: window.innerHeight - Math.max(0, top) };
      setViewport((previous) =>
        previous.scrollTop === next.scrollTop && previous.height === next.height ? previous : next,
      );
    };
    measure();
    window.addEventListener('scroll', measure, { passive: true });
    window.addEventListener('resize', measure);
    return () => {
      window.removeEventListener('scroll', measure);
      window.removeEventListener('resize', measure);
    };
  }, [body]);
  return viewport;
}

/**
 * The rendered height of a row: CSS fixes it at ROW_HEIGHT, but fonts and zoom may round it; measuring
 * the first row keeps the spacers and the window exact.
 */
function useRowHeight(body: RefObject<HTMLTableSectionElement | null>, hasRows: boolean): number {
  const [height, setHeight] = useState(ROW_HEIGHT);
  useLayoutEffect(() => {
    const row = body.current?.querySelector('[data-testid=repository-row]');
    const measured = row?.getBoundingClientRect().height;
    if (measured && Math.abs(measured - height) > 0.5) setHeight(measured);
  });
  return hasRows ? height : ROW_HEIGHT;
}

/** A windowed table: rows outside the viewport (and its overscan) are two spacer rows, not elements. */
export function OverviewTable({ rows, total, complete, manyHives, view, onNeed, onChange, offline }: Props) {
  const body = useRef<HTMLTableSectionElement>(null);
  const { scrollTop, height } = useViewport(body);
  const rowHeight = useRowHeight(body, rows.length > 0);
  const { start, end } = windowRange({
    scrollTop,
    viewportHeight: height,
    rowHeight,
    count: rows.length,
    overscan: OVERSCAN,
  });
  // Keep a page in hand below what is visible, so scrolling rarely waits.
  const visibleEnd = Math.ceil((scrollTop + height) / rowHeight);
  useEffect(() => onNeed(visibleEnd + PAGE_SIZE / 2), [visibleEnd, onNeed]);
  const columns = manyHives ? 5 : 4;

  const header = (order: RepositoryOrder, label: string, className: string) => {
    const active = view.order === order;
    return (
      <th
        scope="col"
        className={className}
        aria-sort={active ? (view.reverse ? 'descending' : 'ascending') : 'none'}
      >
        <button type="button" className="sort-button" onClick={() => onChange(sortBy(view, order))}>
          {label}
          <span aria-hidden="true" className="sort-mark">
            {active ? (view.reverse ? ' ▲' : ' ▼') : ''}
          </span>
        </button>
      </th>
    );
  };

  return (
    <div className="card overview-card">
      <table
        className={`table overview-table${manyHives ? ' with-hive' : ''}`}
        aria-label="Repositories"
        aria-rowcount={total === null ? -1 : total + 1}
      >
        <thead>
          <tr>
            {header('NAME', 'Repository', 'col-name')}
            {manyHives && (
              <th scope="col" className="col-hive">
                Hive
              </th>
            )}
            {header('LAST_BACKUP', 'Last backup', 'col-backup')}
            {header('USAGE', 'Usage', 'col-usage')}
            {header('ATTENTION', 'Health', 'col-health')}
          </tr>
        </thead>
        <tbody ref={body}>
          {start > 0 && <tr aria-hidden="true" className="spacer" style={{ height: start * rowHeight }} />}
          {rows.slice(start, end).map((row, index) => (
            // aria-rowindex: the header is row 1, so a screen reader (and a test) knows where a row sits
            <OverviewRowView
              key={rowKey(row)}
              row={row}
              index={start + index + 2}
              manyHives={manyHives}
              view={view}
              offline={offline.has(row.hiveId)}
            />
          ))}
          {end < rows.length && (
            <tr aria-hidden="true" className="spacer" style={{ height: (rows.length - end) * rowHeight }} />
          )}
          {!complete && (
            <tr className="loading-row">
              <td colSpan={columns} aria-busy="true">
                {rows.length === 0 ? 'Loading repositories…' : 'Loading more…'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
