import type { ApolloClient } from '@apollo/client';
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { Hive } from '../../shared/api.js';
import { ConnectionMonitor, type ConnectionState } from './connection-state.js';

/** A hive with the client that talks to it and the state of that link. */
export interface HiveConnection {
  readonly hive: Hive;
  readonly client: ApolloClient;
  readonly status: ConnectionMonitor;
}

export const HivesContext = createContext<readonly HiveConnection[]>([]);

export function useHives(): readonly HiveConnection[] {
  return useContext(HivesContext);
}

export function useHive(id: string): HiveConnection | undefined {
  return useHives().find((connection) => connection.hive.id === id);
}

const detached = new ConnectionMonitor();

/** The link state of one hive, re-rendering when it changes. */
export function useConnectionState(connection: HiveConnection | undefined): ConnectionState {
  const monitor = connection?.status ?? detached;
  return useSyncExternalStore(monitor.subscribe, monitor.getSnapshot);
}

/** Every hive's link state (re-renders on any change): ids of hives not connected right now. */
export function useOfflineHives(hives: readonly HiveConnection[]): {
  offline: ReadonlySet<string>;
  /** Changes whenever a hive comes back after an outage: a key for reloading what it shows. */
  epoch: string;
} {
  const [, setTick] = useState(0);
  useEffect(() => {
    const unsubscribe = hives.map(({ status }) => status.subscribe(() => setTick((n) => n + 1)));
    return () => unsubscribe.forEach((stop) => stop());
  }, [hives]);
  const offline = new Set(
    hives
      .filter(({ status }) => {
        const kind = status.getSnapshot().kind;
        return kind === 'offline' || kind === 'signed-out' || kind === 'wrong-certificate';
      })
      .map(({ hive }) => hive.id),
  );
  return { offline, epoch: hives.map(({ status }) => status.reconnects).join(',') };
}

/** The current time, ticking every second while `active` (countdowns). */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return active ? now : Date.now();
}
