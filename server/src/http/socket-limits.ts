import { GraphQLError } from 'graphql';
import type { WebSocket } from 'ws';
import type { WebSocketLimits } from '../config/config.js';
import { SendBudget } from '../graphql/live-queue.js';

/** Close codes a client can act on (graphql-ws uses 44xx for its own). */
export const TOO_MANY_SOCKETS = 4429;
export const TOO_SLOW = 4008;

/**
 * The WebSocket caps: sockets per user, subscriptions per socket, and live messages waiting per socket
 * (a client that does not read is closed with 4008 instead of holding the hive's memory).
 */
export class SocketLimits {
  private readonly perUser = new Map<number, number>();
  private readonly budgets = new WeakMap<WebSocket, SendBudget>();

  constructor(private readonly limits: WebSocketLimits) {}

  /** Counts the socket against its user until it closes; closes it with 4429 when the user has too many. */
  admit(socket: WebSocket, userId: number): boolean {
    const open = this.perUser.get(userId) ?? 0;
    if (open >= this.limits.maxSocketsPerUser) {
      socket.close(
        TOO_MANY_SOCKETS,
        `too many connections: at most ${this.limits.maxSocketsPerUser} per user are open at once`,
      );
      return false;
    }
    this.perUser.set(userId, open + 1);
    socket.once('close', () => {
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    });
    return true;
  }

  /** Errors for a subscription over the cap; `open` counts the operations of the socket, this one included. */
  refuseOperation(open: number): GraphQLError[] | undefined {
    if (open <= this.limits.maxSubscriptions) return undefined;
    return [
      new GraphQLError(
        `too many subscriptions: at most ${this.limits.maxSubscriptions} on one connection; end one first`,
        { extensions: { code: 'FORBIDDEN', limit: this.limits.maxSubscriptions } },
      ),
    ];
  }

  /** The socket's budget of waiting live messages (one per socket, shared by its subscriptions). */
  budgetOf(socket: WebSocket): SendBudget {
    let budget = this.budgets.get(socket);
    if (!budget) {
      budget = new SendBudget(this.limits.maxQueued, () =>
        socket.close(TOO_SLOW, `too slow: more than ${this.limits.maxQueued} messages waited to be sent`),
      );
      this.budgets.set(socket, budget);
    }
    return budget;
  }
}
