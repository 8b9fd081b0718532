import type { RepositoryRow } from '../graphql/types.js';

/** Badges for what needs attention: stale first, then open (a backup in progress), then the mode. */
export function StateBadges({ repository }: { repository: RepositoryRow }) {
  return (
    <span className="badges">
      {repository.isStale && <span className="badge badge-stale">Stale</span>}
      {repository.isOpen && <span className="badge badge-open">In progress</span>}
      {!repository.isStale && !repository.isOpen && <span className="badge badge-ok">OK</span>}
      {repository.mode !== 'BORG' && <span className="badge badge-mode">{repository.mode}</span>}
    </span>
  );
}
