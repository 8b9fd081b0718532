import type { Logger } from 'pino';
import type { Em, Orm } from '../../db/orm.js';
import type {
  Audience,
  BackupRunChangedMessage,
  EventBus,
  RepositoryEventMessage,
  TopicName,
  Topics,
} from '../../graphql/event-bus.js';
import { systemTimers } from '../../adapters/timers.js';
import { LiveQueue, type SendBudget } from '../../graphql/live-queue.js';
import { createLoaders, type Loaders } from '../../graphql/loaders.js';
import type { RelatedIds } from '../../graphql/object-loaders.js';
import { canAccess, type AuthInfo, type Shareable } from '../auth/index.js';
import { repositoryViews, type RepositoryView } from '../repository/index.js';
import { ChangeDebouncer } from './change-debouncer.js';
import { ChunkedDelivery } from './chunked-delivery.js';
import type { RepositoryEventView } from './repository-event.view.js';

/**
 * What every subscriber's fields read through for one live message: one short-lived EntityManager and
 * one set of loaders, shared by all of them and dropped with the message.
 */
export interface LiveScope {
  em: Em;
  loaders: Loaders;
}

export interface LiveChange {
  view: RepositoryView;
  scope: LiveScope;
}

export interface LiveEvent {
  event: RepositoryEventView;
  scope: LiveScope;
}

/** A backup run's state and progress as published (plain JSON: the backup module revives it). */
export interface LiveRun {
  run: BackupRunChangedMessage['run'];
  scope: LiveScope;
}

export interface LiveTopics {
  repositoryChanged: LiveChange;
  repositoryEvent: LiveEvent;
  /** the id of the deleted repository */
  repositoryRemoved: number;
  backupRunChanged: LiveRun;
}

type LiveTopic = keyof LiveTopics;

interface Listener<T> {
  auth: AuthInfo;
  /** only the messages of this repository (backupRunChanged: of this run) */
  only: number | null;
  queue: LiveQueue<T>;
}

export interface LiveTiming {
  /** a repository's change is sent this long after the last one of a burst ... */
  debounceMs: number;
  /** ... and at the latest this long after the first */
  maxWaitMs: number;
}

export const DEFAULT_LIVE_TIMING: LiveTiming = { debounceMs: 250, maxWaitMs: 1000 };

const audienceOfView = (view: RepositoryView): Shareable => ({
  ownerId: view.owner.id,
  groupIds: view.groups.map((g) => g.id),
});

/**
 * The hive's one listener on the event bus. Each published change is resolved once into the plain view
 * the subscriptions return, then handed to every subscriber whose audience matches: no statement and
 * no entity per subscriber, and nothing resolved while nobody listens.
 */
export class LiveFeed {
  private readonly listeners: { [K in LiveTopic]: Set<Listener<LiveTopics[K]>> } = {
    repositoryChanged: new Set(),
    repositoryEvent: new Set(),
    repositoryRemoved: new Set(),
    backupRunChanged: new Set(),
  };
  private readonly changes: ChangeDebouncer;
  private readonly sources: AsyncIterableIterator<unknown>[] = [];
  private readonly delivery: ChunkedDelivery;
  /**
   * The scope the events published in this turn of the event loop share, with their repositories: the
   * first subscriber field that reads one of them reads them all (one view read per burst, not per event).
   */
  private burst: { scope: LiveScope; repositoryIds: Set<number> } | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly orm: Orm,
    private readonly logger: Logger,
    timing: LiveTiming = DEFAULT_LIVE_TIMING,
  ) {
    this.delivery = new ChunkedDelivery(logger);
    this.changes = new ChangeDebouncer(timing.debounceMs, timing.maxWaitMs, (ids) => void this.resolve(ids));
  }

  start(): void {
    this.consume('repositoryEvent', (m) => this.onEvent(m));
    this.consume('repositoryChanged', (m) => {
      if (this.listeners.repositoryChanged.size) this.changes.touch(m.repositoryId);
    });
    this.consume('repositoryRemoved', (m) => {
      this.changes.cancel(m.repositoryId);
      this.fanOut('repositoryRemoved', m, m.repositoryId, m.repositoryId, `repository:${m.repositoryId}`);
    });
    // a run's progress: one message (and one scope) for every subscriber, the newest state replacing a
    // waiting one of the same run
    this.consume('backupRunChanged', (m) => {
      if (!this.listeners.backupRunChanged.size) return;
      this.fanOut('backupRunChanged', m, m.run.id, { run: m.run, scope: this.scope() }, `run:${m.run.id}`);
    });
  }

  /** Live subscribers right now (every topic). */
  get subscribers(): number {
    return Object.values(this.listeners).reduce((n, set) => n + set.size, 0);
  }

  /**
   * A subscription's messages: those of repositories `auth` may see (only those of repository `only`
   * if given; backupRunChanged: of run `only`).
   */
  listen<K extends LiveTopic>(
    topic: K,
    auth: AuthInfo,
    budget: SendBudget,
    only: number | null = null,
  ): AsyncIterableIterator<LiveTopics[K]> {
    const set = this.listeners[topic] as Set<Listener<LiveTopics[K]>>;
    const listener: Listener<LiveTopics[K]> = {
      auth,
      only,
      queue: new LiveQueue<LiveTopics[K]>(budget, () => set.delete(listener)),
    };
    set.add(listener);
    return listener.queue;
  }

  async close(): Promise<void> {
    this.changes.close();
    for (const source of this.sources) await source.return?.();
    for (const set of Object.values(this.listeners)) for (const l of [...set]) l.queue.end();
  }

  private consume<K extends TopicName>(topic: K, handle: (message: Topics[K]) => void): void {
    const source = this.bus.subscribe(topic);
    this.sources.push(source);
    void (async () => {
      for await (const message of source) {
        try {
          handle(message);
        } catch (err) {
          this.logger.warn({ err, topic }, 'live message dropped');
        }
      }
    })();
  }

  private scope(related: RelatedIds = {}): LiveScope {
    const em = this.orm.em.fork() as Em;
    return { em, loaders: createLoaders(em, related) };
  }

  private onEvent(m: RepositoryEventMessage): void {
    if (!this.listeners.repositoryEvent.size) return;
    const event: RepositoryEventView = {
      id: m.event.id,
      type: m.event.type,
      message: m.event.message,
      createdAt: new Date(m.event.createdAt),
      repository: { id: m.repositoryId },
    };
    if (!this.burst) {
      const repositoryIds = new Set<number>();
      this.burst = { scope: this.scope({ repositories: () => [...repositoryIds] }), repositoryIds };
      systemTimers.defer(() => (this.burst = undefined));
    }
    this.burst.repositoryIds.add(m.repositoryId);
    this.fanOut('repositoryEvent', m, m.repositoryId, { event, scope: this.burst.scope }, null);
  }

  /** The state of the repositories whose changes fell due, read once for every subscriber. */
  private async resolve(ids: number[]): Promise<void> {
    if (!this.listeners.repositoryChanged.size) return;
    try {
      const scope = this.scope();
      for (const view of await repositoryViews(scope.em, ids)) {
        scope.loaders.repositories.prime(view.id, view);
        this.fanOut(
          'repositoryChanged',
          audienceOfView(view),
          view.id,
          { view, scope },
          `repository:${view.id}`,
        );
      }
    } catch (err) {
      this.logger.warn({ err, repositories: ids.length }, 'live repository changes not resolved');
    }
  }

  private fanOut<K extends LiveTopic>(
    topic: K,
    audience: Shareable | Audience,
    id: number,
    payload: LiveTopics[K],
    key: string | null,
  ): void {
    const targets: LiveQueue<LiveTopics[K]>[] = [];
    for (const l of this.listeners[topic] as Set<Listener<LiveTopics[K]>>) {
      if (l.only !== null && l.only !== id) continue;
      if (canAccess(l.auth, audience)) targets.push(l.queue);
    }
    this.delivery.deliver(targets, payload, key);
  }
}
