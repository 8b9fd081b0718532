import { createPubSub } from '@graphql-yoga/subscription';
import { setMaxListeners } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RepositoryEventType } from '../modules/repository/repository-event-type.js';

/** What travels between API instances: plain JSON, never entities. */
export interface Audience {
  repositoryId: number;
  ownerId: number;
  groupIds: number[];
}

export interface RepositoryEventMessage extends Audience {
  event: { id: number; type: RepositoryEventType; message: string; createdAt: string };
}

export type RepositoryChangedMessage = Audience;

/** A repository was deleted: its audience as it was, so only those who could see it hear of it. */
export type RepositoryRemovedMessage = Audience;

/** A user's sessions, tokens or rights changed: every instance re-checks that user's open sockets. */
export interface CredentialsChangedMessage {
  userId: number;
}

/** A backup run changed state or progress: the run as plain JSON (BackupRunView) and its audience. */
export interface BackupRunChangedMessage extends Audience {
  run: Record<string, unknown> & { id: number };
}

export interface Topics {
  backupRunChanged: BackupRunChangedMessage;
  repositoryEvent: RepositoryEventMessage;
  repositoryChanged: RepositoryChangedMessage;
  repositoryRemoved: RepositoryRemovedMessage;
  credentialsChanged: CredentialsChangedMessage;
}

export type TopicName = keyof Topics;

/** One typed pub/sub: in-process by default, Redis when several API instances share clients. */
export interface EventBus {
  publish<K extends TopicName>(topic: K, payload: Topics[K]): Promise<void>;
  subscribe<K extends TopicName>(topic: K): AsyncIterableIterator<Topics[K]>;
  close(): Promise<void>;
}

type LocalPubSub = ReturnType<typeof createPubSub<{ [K in TopicName]: [Topics[K]] }>>;

/** Every subscribed client is one listener: hundreds are normal, not a leak. */
function unboundedTarget(): EventTarget {
  const target = new EventTarget();
  setMaxListeners(0, target);
  return target;
}

export class LocalEventBus implements EventBus {
  protected readonly local: LocalPubSub = createPubSub<{ [K in TopicName]: [Topics[K]] }>({
    eventTarget: unboundedTarget(),
  });

  async publish<K extends TopicName>(topic: K, payload: Topics[K]): Promise<void> {
    this.deliver(topic, payload);
  }

  protected deliver<K extends TopicName>(topic: K, payload: Topics[K]): void {
    (this.local.publish as (t: K, p: Topics[K]) => void)(topic, payload);
  }

  subscribe<K extends TopicName>(topic: K): AsyncIterableIterator<Topics[K]> {
    return (this.local.subscribe as (t: K) => AsyncIterableIterator<Topics[K]>)(topic);
  }

  async close(): Promise<void> {}
}

export const DEFAULT_CHANNEL_PREFIX = 'borghive:';

/** Every instance publishes to Redis and delivers what Redis hands back, its own messages included. */
export class RedisEventBus extends LocalEventBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private ready: Promise<unknown>;

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly prefix = DEFAULT_CHANNEL_PREFIX,
  ) {
    super();
    this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { lazyConnect: false });
    for (const c of [this.pub, this.sub])
      c.on('error', (err) => this.logger.warn({ err }, 'redis event bus'));
    this.sub.on('message', (channel: string, raw: string) => {
      const topic = channel.slice(this.prefix.length) as TopicName;
      try {
        this.deliver(topic, JSON.parse(raw) as Topics[typeof topic]);
      } catch (err) {
        this.logger.warn({ err, channel }, 'dropping malformed event bus message');
      }
    });
    const topics: TopicName[] = [
      'repositoryEvent',
      'repositoryChanged',
      'repositoryRemoved',
      'credentialsChanged',
      'backupRunChanged',
    ];
    this.ready = this.sub.subscribe(...topics.map((t) => this.prefix + t));
  }

  async waitReady(): Promise<void> {
    await this.ready;
  }

  override async publish<K extends TopicName>(topic: K, payload: Topics[K]): Promise<void> {
    await this.pub.publish(this.prefix + topic, JSON.stringify(payload));
  }

  override async close(): Promise<void> {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

export async function createEventBus(
  redisUrl: string | null,
  logger: Logger,
  prefix = DEFAULT_CHANNEL_PREFIX,
): Promise<EventBus> {
  if (redisUrl === null) return new LocalEventBus();
  const bus = new RedisEventBus(redisUrl, logger, prefix);
  await bus.waitReady();
  return bus;
}
