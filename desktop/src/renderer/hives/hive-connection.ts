import type { ApolloClient } from '@apollo/client';
import { createContext, useContext } from 'react';
import type { Hive } from '../../shared/api.js';

/** A hive with the client that talks to it. */
export interface HiveConnection {
  readonly hive: Hive;
  readonly client: ApolloClient;
}

export const HivesContext = createContext<readonly HiveConnection[]>([]);

export function useHives(): readonly HiveConnection[] {
  return useContext(HivesContext);
}

export function useHive(id: string): HiveConnection | undefined {
  return useHives().find((connection) => connection.hive.id === id);
}
