import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { LiveQueue } from '../../graphql/live-queue.js';

/**
 * Subscribers handed a message per turn of the event loop: their sends run before the next turn, so a
 * message to 5,000 subscribers lets HTTP requests in between every few milliseconds of work.
 */
const CHUNK = 500;

/**
 * Hands each live message to its subscribers' queues, CHUNK of them per turn of the event loop, one
 * message after the other: a subscriber gets the messages in the order they came.
 */
export class ChunkedDelivery {
  private delivering: Promise<void> = Promise.resolve();

  constructor(private readonly logger: Logger) {}

  deliver<T>(queues: Pick<LiveQueue<T>, 'push'>[], value: T, key: string | null): void {
    if (!queues.length) return;
    this.delivering = this.delivering
      .then(async () => {
        for (let start = 0; start < queues.length; start += CHUNK) {
          if (start > 0) await nextTurn();
          for (const queue of queues.slice(start, start + CHUNK)) queue.push(value, key);
        }
      })
      .catch((err: unknown) => this.logger.warn({ err }, 'a live message did not reach every subscriber'));
  }
}
