import { formatBytes } from '../format.js';
import type { RepositoryRow } from '../graphql/types.js';

/** Usage, and the share of the quota when there is one. */
export function Usage({ repository }: { repository: Pick<RepositoryRow, 'usageBytes' | 'quotaBytes'> }) {
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
