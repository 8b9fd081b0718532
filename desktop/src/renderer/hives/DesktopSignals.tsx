import { gql, type TypedDocumentNode } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useEffect } from 'react';
import type { BorgHiveApi } from '../../shared/api.js';
import type { AttentionRowsQuery, AttentionRowsQueryVariables } from '../graphql/generated/operations.js';
import { useConnectionState, type HiveConnection } from './hive-connection.js';

/** The repositories of a hive that need someone (the tray lists them; notifications come from changes). */
export const ATTENTION_ROWS: TypedDocumentNode<AttentionRowsQuery, AttentionRowsQueryVariables> = gql`
  query AttentionRows {
    repositoryPage(
      first: 100
      orderBy: ATTENTION
      filter: { states: [FAILED, STALE, NEVER_BACKED_UP, UNKNOWN] }
    ) {
      edges {
        node {
          id
          name
          health {
            state
            reason
            since
          }
        }
      }
    }
  }
`;

/**
 * Desktop only, one per hive, renders nothing: tells main what needs attention (tray, notifications) and
 * asks main, when the hive goes offline, whether its certificate was refused ("wrong certificate").
 */
export function DesktopSignals({ connection, bridge }: { connection: HiveConnection; bridge: BorgHiveApi }) {
  const state = useConnectionState(connection);
  const hiveId = connection.hive.id;
  useEffect(() => {
    if (state.kind !== 'offline') return;
    void bridge
      .certificateProblem(hiveId)
      .then((problem) => {
        if (problem) connection.status.wrongCertificate(Date.now(), problem.error);
      })
      .catch(() => {});
  }, [state, bridge, hiveId, connection]);

  const online = state.kind === 'connected';
  const { data } = useQuery(ATTENTION_ROWS, { client: connection.client, pollInterval: 30_000 });
  useEffect(() => {
    if (!data && online) return;
    const repositories = (data?.repositoryPage.edges ?? []).map(({ node }) => ({
      id: node.id,
      name: node.name,
      state: node.health.state,
      reason: node.health.reason,
      since: node.health.since ?? null,
    }));
    void bridge.reportAttention({ hiveId, online, repositories }).catch(() => {});
  }, [data, online, bridge, hiveId]);
  return null;
}
