import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import type { EventBus } from '../../graphql/event-bus.js';
import { audienceOf } from './repository-audience.js';
import type { Repository } from './repository.entity.js';
import { type RepositoryEventType } from './repository-event-type.js';
import { RepositoryEvent } from './repository-event.entity.js';

/** Records repository events and tells every subscriber at once. */
export class EventService {
  /** Events this process published since it started (the metrics' borghive_events_recorded_total). */
  recordedCount = 0;

  constructor(
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  async record(
    em: Em,
    repo: Repository,
    type: RepositoryEventType,
    message: string,
    opts: { log?: string | null; at?: Date } = {},
  ): Promise<RepositoryEvent> {
    if (!repo.groups.isInitialized()) await em.populate(repo, ['groups']);
    const event = this.prepare(em, repo, type, message, opts);
    await em.flush();
    await this.published(repo, event);
    return event;
  }

  /** The event, persisted by the caller's next flush (many at once); then call published() for each. */
  prepare(
    em: Em,
    repo: Repository,
    type: RepositoryEventType,
    message: string,
    opts: { log?: string | null; at?: Date } = {},
  ): RepositoryEvent {
    return em.create(RepositoryEvent, {
      repository: repo,
      type,
      message: message.slice(0, 500),
      log: opts.log ?? null,
      createdAt: opts.at ?? this.clock.now(),
    });
  }

  /** Tells every subscriber about a flushed event (the repository's groups must be loaded). */
  async published(repo: Repository, event: RepositoryEvent): Promise<void> {
    this.recordedCount++;
    await this.bus.publish('repositoryEvent', {
      ...audienceOf(repo),
      event: {
        id: event.id,
        type: event.type,
        message: event.message,
        createdAt: event.createdAt.toISOString(),
      },
    });
  }

  async changed(em: Em, repo: Repository): Promise<void> {
    if (!repo.groups.isInitialized()) await em.populate(repo, ['groups']);
    await this.bus.publish('repositoryChanged', audienceOf(repo));
  }
}
