import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Clock } from '../adapters/clock.js';
import type { Orm } from '../db/orm.js';
import type { EventBus } from '../graphql/event-bus.js';
import type { AuthInfo } from '../modules/auth/auth-info.js';
import {
  checkCredentials,
  credentialKey,
  type CredentialState,
  narrowed,
} from '../modules/auth/credential.js';

/** graphql-ws's Unauthorized: its client does not reconnect with a credential that died. */
export const CLOSE_CREDENTIAL_DEAD = 4401;
/** graphql-ws's Forbidden: the client may reconnect, and then sees only what it may see now. */
export const CLOSE_PERMISSIONS_CHANGED = 4403;

/** setTimeout's longest delay; a later expiry is re-armed when the timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One open socket and the credential it was opened with. */
export interface GuardedSocket {
  readonly socket: WebSocket;
  /** Who the socket speaks for now (refreshed by every check). */
  auth: AuthInfo;
  expiresAt: Date | null;
  timer: NodeJS.Timeout | null;
  open: boolean;
}

export interface SocketGuardDeps {
  orm: Orm;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  /** How often every open socket's credential is read again (changes made outside this API). */
  recheckMs: number;
}

/**
 * Keeps open WebSockets honest: their credential is read again for every operation, when the event bus
 * says the user's credentials changed (logout, revocation, password change, on any instance), when it
 * expires, and every `recheckMs` for changes made behind the API's back (CLI, SQL, deleted users). A
 * dead credential closes its sockets with 4401, lost rights (an admin demoted, a group left) with 4403.
 */
export class SocketGuard {
  private readonly byUser = new Map<number, Set<GuardedSocket>>();
  private changes: AsyncIterableIterator<{ userId: number }> | null = null;
  private sweep: NodeJS.Timeout | null = null;

  constructor(private readonly deps: SocketGuardDeps) {}

  start(): void {
    const changes = this.deps.bus.subscribe('credentialsChanged');
    this.changes = changes;
    void (async () => {
      for await (const { userId } of changes) await this.recheck([...(this.byUser.get(userId) ?? [])]);
    })().catch((err: unknown) => this.deps.logger.error({ err }, 'socket guard stopped listening'));
    this.sweep = setInterval(() => void this.recheck(this.all()), this.deps.recheckMs);
    this.sweep.unref();
  }

  async stop(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    await this.changes?.return?.();
    for (const g of this.all()) this.forget(g);
  }

  /** Watches a socket accepted with a live credential until it closes. */
  watch(socket: WebSocket, state: Extract<CredentialState, { live: true }>): GuardedSocket {
    const g: GuardedSocket = {
      socket,
      auth: state.auth,
      expiresAt: state.expiresAt,
      timer: null,
      open: true,
    };
    let set = this.byUser.get(g.auth.userId);
    if (!set) this.byUser.set(g.auth.userId, (set = new Set()));
    set.add(g);
    socket.once('close', () => this.forget(g));
    this.arm(g);
    return g;
  }

  /** Reads the socket's credential again (before each operation): who it speaks for, or null (closing). */
  async current(g: GuardedSocket): Promise<AuthInfo | null> {
    await this.recheck([g]);
    return g.open ? g.auth : null;
  }

  /** Open sockets, for tests and metrics. */
  count(): number {
    return this.all().length;
  }

  private all(): GuardedSocket[] {
    return [...this.byUser.values()].flatMap((set) => [...set]);
  }

  private async recheck(sockets: GuardedSocket[]): Promise<void> {
    const open = sockets.filter((g) => g.open);
    if (open.length === 0) return;
    let states: Map<string, CredentialState>;
    try {
      states = await checkCredentials(
        this.deps.orm.em.fork(),
        open.map((g) => g.auth),
        this.deps.clock.now(),
      );
    } catch (err) {
      // the database is away: keep the sockets, the next check decides
      this.deps.logger.warn({ err }, 'could not re-check the credentials of open sockets');
      return;
    }
    for (const g of open) {
      const state = states.get(credentialKey(g.auth));
      if (state) this.apply(g, state);
    }
  }

  private apply(g: GuardedSocket, state: CredentialState): void {
    if (!g.open) return;
    if (!state.live) return this.close(g, CLOSE_CREDENTIAL_DEAD, `credential ${state.reason}`);
    if (narrowed(g.auth, state.auth)) return this.close(g, CLOSE_PERMISSIONS_CHANGED, 'permissions changed');
    g.auth = state.auth;
    g.expiresAt = state.expiresAt;
    this.arm(g);
  }

  /** A timer at the expiry: the check then finds the credential expired and closes the socket. */
  private arm(g: GuardedSocket): void {
    if (g.timer) clearTimeout(g.timer);
    g.timer = null;
    if (!g.expiresAt) return;
    const ms = Math.min(Math.max(g.expiresAt.getTime() - this.deps.clock.now().getTime(), 0), MAX_TIMER_MS);
    g.timer = setTimeout(() => void this.recheck([g]), ms);
    g.timer.unref();
  }

  private close(g: GuardedSocket, code: number, reason: string): void {
    this.deps.logger.info({ userId: g.auth.userId, via: g.auth.via, code, reason }, 'closing websocket');
    this.forget(g);
    g.socket.close(code, reason);
  }

  private forget(g: GuardedSocket): void {
    g.open = false;
    if (g.timer) clearTimeout(g.timer);
    g.timer = null;
    const set = this.byUser.get(g.auth.userId);
    set?.delete(g);
    if (set?.size === 0) this.byUser.delete(g.auth.userId);
  }
}
