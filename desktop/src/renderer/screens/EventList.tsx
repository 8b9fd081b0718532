import { absoluteTime, relativeTime } from '../format.js';
import type { RepositoryEvent, RepositoryEventType } from '../graphql/types.js';

const tone: Partial<Record<RepositoryEventType, string>> = {
  ALERT: 'danger',
  BACKUP_FAILED: 'danger',
  BACKUP_SUCCEEDED: 'ok',
  BACKUP_STARTED: 'info',
  OPENED: 'info',
};

/** Events newest first, as the server sends them (live ones are put on top by LiveUpdates). */
export function EventList({ events }: { events: readonly RepositoryEvent[] }) {
  if (events.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <ol className="events" aria-label="Events">
      {events.map((event) => (
        <li key={event.id} className={`event event-${tone[event.type] ?? 'plain'}`} data-testid="event">
          <span className="event-type">{event.type.replaceAll('_', ' ').toLowerCase()}</span>
          <span className="event-message">{event.message}</span>
          <time dateTime={event.createdAt} title={absoluteTime(event.createdAt)}>
            {relativeTime(event.createdAt)}
          </time>
        </li>
      ))}
    </ol>
  );
}
