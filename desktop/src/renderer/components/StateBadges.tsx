import type { RepositoryRow } from '../graphql/types.js';
import { HealthBadge } from './HealthBadge.js';

/** The health state, then the mode when it is not plain borg. */
export function StateBadges({
  repository,
  offline = false,
}: {
  repository: RepositoryRow;
  offline?: boolean;
}) {
  return (
    <span className="badges">
      {offline ? (
        <span className="badge badge-health-offline">Hive offline</span>
      ) : (
        <HealthBadge health={repository.health} />
      )}
      {repository.mode !== 'BORG' && <span className="badge badge-mode">{repository.mode}</span>}
      {repository.alertAfterDays === null && <span className="badge badge-mode">alerts off</span>}
    </span>
  );
}
