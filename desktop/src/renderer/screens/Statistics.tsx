import { gql, type TypedDocumentNode } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { errorMessage } from '../components/ErrorText.js';
import { absoluteTime, formatBytes } from '../format.js';
import type { RepositoryStatisticsQuery, RepositoryStatisticsQueryVariables } from '../graphql/types.js';

// A query of its own, so the page still renders when statistics fail.
const STATISTICS: TypedDocumentNode<RepositoryStatisticsQuery, RepositoryStatisticsQueryVariables> = gql`
  query RepositoryStatistics($id: ID!) {
    repository(id: $id) {
      id
      statistics(limit: 30) {
        id
        usageBytes
        createdAt
      }
    }
  }
`;

/** Usage history (newest first from the server) drawn oldest → newest as bars. */
export function Statistics({ id, usageBytes }: { id: string; usageBytes: number | null }) {
  const { data, error, refetch } = useQuery(STATISTICS, { variables: { id } });
  // A refresh records a measurement and changes usageBytes (live, through repositoryChanged): fetch the history again.
  const seen = useRef(usageBytes);
  useEffect(() => {
    if (seen.current === usageBytes) return;
    seen.current = usageBytes;
    void refetch().catch(() => {});
  }, [usageBytes, refetch]);
  const points = [...(data?.repository?.statistics ?? [])].reverse();
  const max = Math.max(1, ...points.map((point) => point.usageBytes));
  return (
    <section className="card" aria-labelledby="statistics-title">
      <h2 id="statistics-title">Usage history</h2>
      {error && <p className="muted">Statistics unavailable: {errorMessage(error)}</p>}
      {!error && points.length === 0 && <p className="muted">No statistics yet.</p>}
      {points.length > 0 && (
        <>
          <div className="chart" role="img" aria-label={`Usage over the last ${points.length} measurements`}>
            {points.map((point) => (
              <span
                key={point.id}
                className="chart-bar"
                style={{ height: `${Math.max(2, (point.usageBytes / max) * 100)}%` }}
                title={`${absoluteTime(point.createdAt)}: ${formatBytes(point.usageBytes)}`}
              />
            ))}
          </div>
          <p className="muted small">
            Latest {formatBytes(points.at(-1)?.usageBytes)} · peak {formatBytes(max)}
          </p>
        </>
      )}
    </section>
  );
}
