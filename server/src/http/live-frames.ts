import type { Socket } from 'node:net';
import type { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import { endingIterator } from '../graphql/ending-iterator.js';
import { payloadJson } from '../graphql/shared-execution.js';

/**
 * One WebSocket's sends, a burst of them in one system call: the first send of a tick corks the TCP
 * socket and the end of the tick uncorks it, so the ten messages a fan-out sends to one socket leave
 * in one writev instead of ten. Resolves once the frame was handed to the kernel (as graphql-ws does).
 */
export class SocketOutbox {
  private corked = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly tcp: Socket,
  ) {}

  send(text: string): Promise<void> {
    if (this.ws.readyState !== this.ws.OPEN) return Promise.resolve();
    if (!this.corked) {
      this.corked = true;
      this.tcp.cork();
      // after every microtask of this tick: the sends of all subscriptions of the socket
      process.nextTick(() => {
        this.corked = false;
        this.tcp.uncork();
      });
    }
    return new Promise((resolve, reject) => this.ws.send(text, (err) => (err ? reject(err) : resolve())));
  }
}

/**
 * graphql-ws's `onOperation` for a subscription: its results are sent from here, each as a `next` frame
 * around the payload serialised once for every subscriber of its kind (payloadJson), instead of
 * graphql-ws stringifying the same result again for each of them. The iterator graphql-ws consumes
 * yields nothing and ends with the subscription (graphql-ws then sends `complete` as usual).
 */
export function sendingFrames(
  results: AsyncIterator<ExecutionResult>,
  id: string,
  outbox: SocketOutbox,
): AsyncIterableIterator<ExecutionResult> {
  const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  return endingIterator<ExecutionResult>(results, async () => {
    for (;;) {
      const r = await results.next();
      if (r.done) return { value: undefined, done: true };
      await outbox.send(`${head}${payloadJson(r.value)}}`);
    }
  });
}
