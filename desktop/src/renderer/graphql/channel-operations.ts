import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  ChannelRepositoryChoicesQuery,
  ChannelRepositoryChoicesQueryVariables,
  TestStoredNotificationChannelMutation,
  TestStoredNotificationChannelMutationVariables,
  UpdateNotificationChannelMutation,
  UpdateNotificationChannelMutationVariables,
} from './generated/operations.js';
import { channelFields } from './operations.js';

/** Saves a channel; settings sent back redacted keep their stored value, absent repositoryIds keep the limit. */
export const UPDATE_NOTIFICATION_CHANNEL: TypedDocumentNode<
  UpdateNotificationChannelMutation,
  UpdateNotificationChannelMutationVariables
> = gql`
  mutation UpdateNotificationChannel($id: ID!, $input: NotificationChannelInput!) {
    updateNotificationChannel(id: $id, input: $input) {
      ...ChannelFields
    }
  }
  ${channelFields}
`;

/** A test through a stored channel (its stored secrets; with input, the form's settings): logged. */
export const TEST_STORED_NOTIFICATION_CHANNEL: TypedDocumentNode<
  TestStoredNotificationChannelMutation,
  TestStoredNotificationChannelMutationVariables
> = gql`
  mutation TestStoredNotificationChannel($id: ID!, $input: NotificationChannelInput) {
    testNotificationChannel(id: $id, input: $input)
  }
`;

/** The repositories a channel may be limited to (those the caller may see). */
export const CHANNEL_REPOSITORY_CHOICES: TypedDocumentNode<
  ChannelRepositoryChoicesQuery,
  ChannelRepositoryChoicesQueryVariables
> = gql`
  query ChannelRepositoryChoices {
    repositories {
      id
      name
    }
  }
`;
