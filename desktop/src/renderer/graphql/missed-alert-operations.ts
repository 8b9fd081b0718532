import { gql, type TypedDocumentNode } from '@apollo/client';
import type { MissedAlertsQuery, MissedAlertsQueryVariables } from './generated/operations.js';

/** After an outage: the repositories that need attention, with when they last alerted. */
export const MISSED_ALERTS: TypedDocumentNode<MissedAlertsQuery, MissedAlertsQueryVariables> = gql`
  query MissedAlerts {
    repositoryPage(first: 100, orderBy: ATTENTION, filter: { states: [FAILED, STALE] }) {
      edges {
        node {
          id
          name
          lastAlertAt
        }
      }
    }
  }
`;
