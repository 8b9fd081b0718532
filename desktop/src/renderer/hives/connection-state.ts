/**
 * What the console knows about its link to one hive, from the subscription socket (always open while the
 * console runs): the states the shell, the navigation and the overview show.
 */
export type ConnectionState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected'; readonly since: number }
  /** The socket closed or never opened; `retryAt`: when the next attempt starts (null: none planned). */
  | { readonly kind: 'offline'; readonly since: number; readonly retryAt: number | null }
  /** The hive refused the token: no retry until the user signs in again. */
  | { readonly kind: 'signed-out'; readonly since: number }
  /** The hive's TLS certificate did not verify (known in the desktop app only): never trusted, no data. */
  | { readonly kind: 'wrong-certificate'; readonly since: number; readonly detail: string };

/** Waits between reconnect attempts: quick at first, never more than 5 s (an outage shows its end soon). */
export function retryDelayMs(retries: number): number {
  return Math.min(500 * 2 ** retries, 5000);
}

/** A small observable for React's useSyncExternalStore; `reconnects` counts returns after an outage. */
export class ConnectionMonitor {
  private state: ConnectionState = { kind: 'connecting' };
  private returns = 0;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): ConnectionState => this.state;

  /** How many times the hive came back after being offline (screens reload their data on a change). */
  get reconnects(): number {
    return this.returns;
  }

  connected(now: number): void {
    if (this.state.kind === 'connected') return;
    if (this.state.kind === 'offline') this.returns += 1;
    this.set({ kind: 'connected', since: now });
  }

  /** The socket closed (or an attempt failed): offline since the first failure, not the latest. */
  lost(now: number): void {
    if (this.state.kind === 'signed-out' || this.state.kind === 'wrong-certificate') return;
    const since = this.state.kind === 'offline' ? this.state.since : now;
    this.set({ kind: 'offline', since, retryAt: null });
  }

  retrying(at: number): void {
    if (this.state.kind !== 'offline') return;
    this.set({ ...this.state, retryAt: at });
  }

  /** Main refused the hive's certificate: stays so until a connection succeeds. */
  wrongCertificate(now: number, detail: string): void {
    if (this.state.kind === 'wrong-certificate') return;
    this.set({ kind: 'wrong-certificate', since: now, detail });
  }

  signedOut(now: number): void {
    if (this.state.kind === 'signed-out') return;
    this.set({ kind: 'signed-out', since: now });
  }

  private set(next: ConnectionState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

/** One line for people: "connected", "offline since 12:03:04, retrying in 3 s", ... */
export function describeConnection(
  state: ConnectionState,
  now: number,
  time: (ms: number) => string,
): string {
  switch (state.kind) {
    case 'connecting':
      return 'connecting…';
    case 'connected':
      return 'connected';
    case 'signed-out':
      return 'signed out: the hive refused the token';
    case 'wrong-certificate':
      return `wrong certificate (${state.detail}): not trusted, not connected`;
    case 'offline': {
      const base = `offline since ${time(state.since)}`;
      if (state.retryAt === null) return base;
      const seconds = Math.max(0, Math.ceil((state.retryAt - now) / 1000));
      return seconds > 0 ? `${base}, reconnecting in ${seconds} s` : `${base}, reconnecting…`;
    }
  }
}
