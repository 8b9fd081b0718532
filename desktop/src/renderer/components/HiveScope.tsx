import { ApolloProvider } from '@apollo/client/react';
import type { ReactNode } from 'react';
import { useHive } from '../hives/hive-connection.js';

/** Renders its children with the Apollo client of one hive (hooks below then talk to that hive). */
export function HiveScope({ hiveId, children }: { hiveId: string; children: ReactNode }) {
  const connection = useHive(hiveId);
  if (!connection) {
    return (
      <p role="alert" className="error">
        Unknown hive.
      </p>
    );
  }
  return <ApolloProvider client={connection.client}>{children}</ApolloProvider>;
}
