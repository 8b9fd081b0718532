/** The fields of an event the timeline needs (the API's RepositoryEvent, newest first). */
export interface TimelineEvent {
  readonly id: string;
  readonly type: string;
  readonly message: string;
  readonly log?: string | null;
  readonly createdAt: string;
}

/**
 * What a person reads: one write session (OPENED … UPDATED … CLOSED) is one "backup" when it committed and
 * a "read" when it did not (borg list, check, extract take the lock too); everything else stays as it is.
 */
export type TimelineItem =
  | {
      readonly kind: 'session';
      readonly id: string;
      /** Commits (UPDATED) seen during the session: 0 means nothing was written. */
      readonly commits: number;
      readonly startedAt: string;
      /** null while the session is still open. */
      readonly endedAt: string | null;
      readonly durationMs: number | null;
    }
  | { readonly kind: 'event'; readonly event: TimelineEvent };

interface OpenSession {
  id: string;
  startedAt: string;
  commits: number;
}

/** Groups a newest-first event list into timeline items, newest first. */
export function groupEvents(events: readonly TimelineEvent[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  let open: OpenSession | null = null;
  const flushOpen = (): void => {
    if (open === null) return;
    items.push({
      kind: 'session',
      id: open.id,
      commits: open.commits,
      startedAt: open.startedAt,
      endedAt: null,
      durationMs: null,
    });
    open = null;
  };
  // Oldest first: a session is read in the order it happened.
  for (const event of [...events].reverse()) {
    switch (event.type) {
      case 'OPENED':
        flushOpen();
        open = { id: event.id, startedAt: event.createdAt, commits: 0 };
        break;
      case 'UPDATED':
        if (open !== null) open.commits += 1;
        else items.push({ kind: 'event', event });
        break;
      case 'ARCHIVE_CREATED':
        // borg 2: the archive is the backup; it stays in the list and makes its session a backup
        if (open !== null) open.commits += 1;
        items.push({ kind: 'event', event });
        break;
      case 'CLOSED':
        if (open === null) {
          items.push({ kind: 'event', event });
          break;
        }
        items.push({
          kind: 'session',
          id: open.id,
          commits: open.commits,
          startedAt: open.startedAt,
          endedAt: event.createdAt,
          durationMs: Date.parse(event.createdAt) - Date.parse(open.startedAt),
        });
        open = null;
        break;
      default:
        items.push({ kind: 'event', event });
    }
  }
  flushOpen();
  return items.reverse();
}

/** "45 s", "3 min 20 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}
