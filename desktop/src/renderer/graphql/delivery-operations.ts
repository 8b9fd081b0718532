import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  DeleteNotificationChannelMutation,
  DeleteNotificationChannelMutationVariables,
  NotificationDeliveriesQuery,
  NotificationDeliveriesQueryVariables,
} from './generated/operations.js';

/** The delivery log, newest first: of one channel or repository, or of every channel the caller may see. */
export const NOTIFICATION_DELIVERIES: TypedDocumentNode<
  NotificationDeliveriesQuery,
  NotificationDeliveriesQueryVariables
> = gql`
  query NotificationDeliveries($limit: Int, $channelId: ID, $repositoryId: ID) {
    notificationDeliveries(limit: $limit, channelId: $channelId, repositoryId: $repositoryId) {
      id
      state
      attempts
      nextAttemptAt
      lastError
      sentAt
      createdAt
      title
      channel {
        id
        name
        kind
      }
      event {
        id
        type
      }
      repository {
        id
        name
      }
    }
  }
`;

export const DELETE_NOTIFICATION_CHANNEL: TypedDocumentNode<
  DeleteNotificationChannelMutation,
  DeleteNotificationChannelMutationVariables
> = gql`
  mutation DeleteNotificationChannel($id: ID!) {
    deleteNotificationChannel(id: $id)
  }
`;
