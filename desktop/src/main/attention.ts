/** One repository as the desktop's tray and notifications see it (from any hive). */
export interface WatchedRepository {
  readonly hiveId: string;
  readonly hiveName: string;
  readonly id: string;
  readonly name: string;
  /** contract §7 HealthState */
  readonly state: string;
  readonly reason: string;
  /** health.since: with the state, it names one incident. */
  readonly since: string | null;
}

/** States that need someone to act. NEVER_BACKED_UP counts: a machine that never backed up is at risk. */
const ATTENTION = new Set(['FAILED', 'STALE', 'NEVER_BACKED_UP', 'UNKNOWN']);
const RANK: Record<string, number> = { FAILED: 0, STALE: 1, NEVER_BACKED_UP: 2, UNKNOWN: 3 };

export interface TrayModel {
  readonly count: number;
  readonly tooltip: string;
  /** Newest problems first within the worst states; `offline` hives are listed as such. */
  readonly items: readonly {
    readonly label: string;
    readonly hiveId: string;
    readonly repositoryId: string | null;
  }[];
}

/** What the tray shows: how many repositories need attention across hives, and which, then offline hives. */
export function trayModel(
  repositories: readonly WatchedRepository[],
  offlineHives: readonly { id: string; name: string }[],
  maxItems = 15,
): TrayModel {
  const needing = repositories
    .filter((repository) => ATTENTION.has(repository.state))
    .sort((a, b) => (RANK[a.state] ?? 9) - (RANK[b.state] ?? 9) || a.name.localeCompare(b.name));
  const items: { label: string; hiveId: string; repositoryId: string | null }[] = needing
    .slice(0, maxItems)
    .map((repository) => ({
      label: `${repository.name} (${repository.hiveName}): ${repository.reason}`,
      hiveId: repository.hiveId,
      repositoryId: repository.id,
    }));
  if (needing.length > maxItems) {
    items.push({ label: `… and ${needing.length - maxItems} more`, hiveId: '', repositoryId: null });
  }
  for (const hive of offlineHives) {
    items.push({ label: `${hive.name}: offline (last known state)`, hiveId: hive.id, repositoryId: null });
  }
  const problems = needing.length === 0 ? 'all repositories fine' : `${needing.length} need attention`;
  const away = offlineHives.length === 0 ? '' : `, ${offlineHives.length} hive(s) offline`;
  return { count: needing.length, tooltip: `Borg Hive: ${problems}${away}`, items };
}

export interface Notification {
  readonly key: string;
  readonly title: string;
  readonly body: string;
  readonly hiveId: string;
  readonly repositoryId: string;
}

/**
 * Native notifications: once per incident (repository + state + since), only for STALE and FAILED and
 * alerts, only for hives whose switch is on. The first look at a hive notifies nothing: what was already
 * wrong when the app started is in the tray, not a burst of pop-ups.
 */
export class NotificationPolicy {
  private readonly seen = new Set<string>();
  private readonly primed = new Set<string>();

  constructor(private readonly enabledFor: (hiveId: string) => boolean) {}

  /** The hive's current repositories: returns the notifications to show now. */
  update(hiveId: string, repositories: readonly WatchedRepository[]): Notification[] {
    const fresh: Notification[] = [];
    const first = !this.primed.has(hiveId);
    this.primed.add(hiveId);
    for (const repository of repositories) {
      if (repository.state !== 'STALE' && repository.state !== 'FAILED') continue;
      const key = `${hiveId}:${repository.id}:${repository.state}:${repository.since ?? ''}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      if (first || !this.enabledFor(hiveId)) continue;
      fresh.push({
        key,
        title: `${repository.name} ${repository.state === 'FAILED' ? 'failed' : 'is stale'} · ${repository.hiveName}`,
        body: repository.reason,
        hiveId,
        repositoryId: repository.id,
      });
    }
    return fresh;
  }

  /** An ALERT event from a hive's live feed: shown once per event id. */
  alert(
    hiveId: string,
    eventId: string,
    repository: { id: string; name: string },
    message: string,
  ): Notification | null {
    const key = `${hiveId}:alert:${eventId}`;
    if (this.seen.has(key) || !this.enabledFor(hiveId)) return null;
    this.seen.add(key);
    return { key, title: `Alert: ${repository.name}`, body: message, hiveId, repositoryId: repository.id };
  }
}
