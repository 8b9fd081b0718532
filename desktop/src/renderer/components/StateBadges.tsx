import type { RepositoryRow } from '../graphql/types.js';
import { HealthBadge } from './HealthBadge.js';

/** The health state, then the mode when it is not plain borg. */
export function StateBadges({ repository }: { repository: RepositoryRow }) {
  return (
    <span className="badges">
      <HealthBadge health={repository.health} />
      {repository.mode !== 'BORG' && <span className="badge badge-mode">{repository.mode}</span>}
    </span>
  );
}
