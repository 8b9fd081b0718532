import type { ReactNode } from 'react';

interface Props<T> {
  /** the table's accessible name */
  label: string;
  columns: readonly string[];
  /** an extra, unnamed column for row buttons */
  actions?: boolean;
  /** undefined while the hive has not answered: "Loading…", never "No … yet" */
  rows: readonly T[] | undefined;
  /** the query failed: say nothing here (the error is shown above) */
  failed?: boolean;
  loading: string;
  empty: string;
  children: (row: T) => ReactNode;
}

/** A list screen's table: loading, empty and filled told apart; a card that becomes a list on narrow screens. */
export function ListTable<T>({ label, columns, actions, rows, failed, loading, empty, children }: Props<T>) {
  if (rows === undefined) return failed ? null : <p className="page-message">{loading}</p>;
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <div className="card table-card">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{rows.map(children)}</tbody>
      </table>
    </div>
  );
}
