import { absoluteTime, relativeTime } from '../format.js';
import type { RepositoryEvent, RepositoryEventType } from '../graphql/types.js';
import { formatDuration, groupEvents, type TimelineItem } from '../timeline/group-events.js';

const tone: Partial<Record<RepositoryEventType, string>> = {
  ALERT: 'danger',
  BACKUP_FAILED: 'danger',
  BACKUP_SUCCEEDED: 'ok',
  BACKUP_STARTED: 'info',
  ARCHIVE_CREATED: 'ok',
  ARCHIVE_DELETED: 'danger',
  KEY_ADDED: 'danger',
  KEY_REMOVED: 'danger',
  LOGIN_REFUSED: 'danger',
};

/** What a person reads for a type (the rest: the type in words, "backup succeeded"). */
const label: Partial<Record<RepositoryEventType, string>> = {
  ARCHIVE_CREATED: 'archive created',
  ARCHIVE_DELETED: 'archives deleted',
  KEY_ADDED: 'key added',
  KEY_REMOVED: 'key removed',
  LOGIN_REFUSED: 'login refused',
};

/**
 * The repository's timeline, newest first: lock sessions read as backups (or reads), pings and runs
 * with the log their client sent.
 */
export function EventList({ events }: { events: readonly RepositoryEvent[] }) {
  if (events.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <ol className="events" aria-label="Events">
      {groupEvents(events).map((item) => (
        <Item key={item.kind === 'session' ? `s${item.id}` : item.event.id} item={item} />
      ))}
    </ol>
  );
}

function Item({ item }: { item: TimelineItem }) {
  if (item.kind === 'session') {
    const backup = item.commits > 0;
    const label = item.endedAt === null ? 'in progress' : backup ? 'backup' : 'read';
    const detail =
      item.endedAt === null
        ? 'a borg client has the repository open'
        : backup
          ? `${item.commits === 1 ? 'one commit' : `${item.commits} commits`} in ${formatDuration(item.durationMs ?? 0)}`
          : `opened without a commit (list, check or extract), ${formatDuration(item.durationMs ?? 0)}`;
    return (
      <li className={`event event-${backup ? 'ok' : 'info'}`} data-testid="event" data-kind={label}>
        <span className="event-type">{label}</span>
        <span className="event-message">{detail}</span>
        <time dateTime={item.startedAt} title={absoluteTime(item.startedAt)}>
          {relativeTime(item.startedAt)}
        </time>
      </li>
    );
  }
  const { event } = item;
  return (
    <li className={`event event-${tone[event.type as RepositoryEventType] ?? 'plain'}`} data-testid="event">
      <span className="event-type">
        {label[event.type as RepositoryEventType] ?? event.type.replaceAll('_', ' ').toLowerCase()}
      </span>
      <span className="event-message">
        {event.message}
        {event.log && (
          <details className="event-log">
            <summary>Log</summary>
            <pre className="mono" data-testid="event-log">
              {event.log}
            </pre>
          </details>
        )}
      </span>
      <time dateTime={event.createdAt} title={absoluteTime(event.createdAt)}>
        {relativeTime(event.createdAt)}
      </time>
    </li>
  );
}
