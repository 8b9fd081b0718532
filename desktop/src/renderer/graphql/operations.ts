import { gql, type TypedDocumentNode } from '@apollo/client';
import { eventFields, repositoryRowFields, sshKeyFields } from './fragments.js';
import type {
  AddSshKeyMutation,
  AddSshKeyMutationVariables,
  CreateNotificationChannelMutation,
  CreateNotificationChannelMutationVariables,
  CreateRepositoryMutation,
  CreateRepositoryMutationVariables,
  DeleteSshKeyMutation,
  DeleteSshKeyMutationVariables,
  LoginMutation,
  LoginMutationVariables,
  LogoutMutation,
  LogoutMutationVariables,
  MeQuery,
  MeQueryVariables,
  NotificationChannelsQuery,
  NotificationChannelsQueryVariables,
  RefreshRepositoryMutation,
  RefreshRepositoryMutationVariables,
  RepositoryChangedSubscription,
  RepositoryChangedSubscriptionVariables,
  RepositoryEventsSubscription,
  RepositoryEventsSubscriptionVariables,
  RepositoryPageQuery,
  RepositoryPageQueryVariables,
  RepositoryQuery,
  RepositoryQueryVariables,
  RepositoryRemovedSubscription,
  RepositoryRemovedSubscriptionVariables,
  RepositoryTotalsQuery,
  RepositoryTotalsQueryVariables,
  SshKeysQuery,
  SshKeysQueryVariables,
  TestNotificationChannelMutation,
  TestNotificationChannelMutationVariables,
  UpdateRepositoryMutation,
  UpdateRepositoryMutationVariables,
} from './types.js';

export const EVENT_LIMIT = 50;

export const LOGIN: TypedDocumentNode<LoginMutation, LoginMutationVariables> = gql`
  mutation Login($username: String!, $password: String!, $otp: String) {
    login(username: $username, password: $password, otp: $otp) {
      token
      user {
        id
        username
      }
    }
  }
`;

export const LOGOUT: TypedDocumentNode<LogoutMutation, LogoutMutationVariables> = gql`
  mutation Logout {
    logout
  }
`;

export const ME: TypedDocumentNode<MeQuery, MeQueryVariables> = gql`
  query Me {
    me {
      id
      username
      isAdmin
    }
  }
`;

export const REPOSITORY_PAGE: TypedDocumentNode<RepositoryPageQuery, RepositoryPageQueryVariables> = gql`
  query RepositoryPage(
    $first: Int!
    $after: String
    $filter: RepositoryFilter
    $orderBy: RepositoryOrder!
    $reverse: Boolean!
  ) {
    repositoryPage(first: $first, after: $after, filter: $filter, orderBy: $orderBy, reverse: $reverse) {
      edges {
        cursor
        node {
          ...RepositoryRowFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
  ${repositoryRowFields}
`;

export const REPOSITORY_TOTALS: TypedDocumentNode<RepositoryTotalsQuery, RepositoryTotalsQueryVariables> =
  gql`
    query RepositoryTotals($filter: RepositoryFilter) {
      repositorySummary(filter: $filter) {
        total
        usageBytes
        neverBackedUp
        ok
        inProgress
        stale
        failed
        unknown
      }
    }
  `;

export const REPOSITORY: TypedDocumentNode<RepositoryQuery, RepositoryQueryVariables> = gql`
  query Repository($id: ID!, $limit: Int) {
    repository(id: $id) {
      ...RepositoryRowFields
      path
      pingUrl
      createdAt
      borgVersion
      sshKeys {
        id
        name
        fingerprint
      }
      appendOnlySshKeys {
        id
        name
        fingerprint
      }
      events(limit: $limit) {
        ...EventFields
      }
      shares {
        group {
          id
          name
        }
        role
      }
      location {
        id
        name
        sshHost
        sshPort
        hostKeyFingerprints
      }
    }
  }
  ${repositoryRowFields}
  ${eventFields}
`;

export const SSH_KEYS: TypedDocumentNode<SshKeysQuery, SshKeysQueryVariables> = gql`
  query SshKeys {
    sshKeys {
      ...SshKeyFields
    }
  }
  ${sshKeyFields}
`;

export const ADD_SSH_KEY: TypedDocumentNode<AddSshKeyMutation, AddSshKeyMutationVariables> = gql`
  mutation AddSshKey($name: String!, $publicKey: String!) {
    addSshKey(name: $name, publicKey: $publicKey) {
      ...SshKeyFields
    }
  }
  ${sshKeyFields}
`;

export const DELETE_SSH_KEY: TypedDocumentNode<DeleteSshKeyMutation, DeleteSshKeyMutationVariables> = gql`
  mutation DeleteSshKey($id: ID!) {
    deleteSshKey(id: $id)
  }
`;

export const CREATE_REPOSITORY: TypedDocumentNode<
  CreateRepositoryMutation,
  CreateRepositoryMutationVariables
> = gql`
  mutation CreateRepository($input: CreateRepositoryInput!) {
    createRepository(input: $input) {
      ...RepositoryRowFields
    }
  }
  ${repositoryRowFields}
`;

export const UPDATE_REPOSITORY: TypedDocumentNode<
  UpdateRepositoryMutation,
  UpdateRepositoryMutationVariables
> = gql`
  mutation UpdateRepository($id: ID!, $input: UpdateRepositoryInput!) {
    updateRepository(id: $id, input: $input) {
      ...RepositoryRowFields
    }
  }
  ${repositoryRowFields}
`;

/** A channel as the channel screen shows and edits it (settings redacted, rules with defaults filled in). */
export const channelFields = gql`
  fragment ChannelFields on NotificationChannel {
    id
    name
    kind
    enabled
    settings
    rules
    repositories {
      id
      name
    }
  }
`;

export const NOTIFICATION_CHANNELS: TypedDocumentNode<
  NotificationChannelsQuery,
  NotificationChannelsQueryVariables
> = gql`
  query NotificationChannels {
    notificationChannels {
      ...ChannelFields
    }
  }
  ${channelFields}
`;

export const CREATE_NOTIFICATION_CHANNEL: TypedDocumentNode<
  CreateNotificationChannelMutation,
  CreateNotificationChannelMutationVariables
> = gql`
  mutation CreateNotificationChannel($input: NotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
      name
      kind
      enabled
    }
  }
`;

export const TEST_NOTIFICATION_CHANNEL: TypedDocumentNode<
  TestNotificationChannelMutation,
  TestNotificationChannelMutationVariables
> = gql`
  mutation TestNotificationChannel($input: NotificationChannelInput!) {
    testNotificationChannel(input: $input)
  }
`;

export const REPOSITORY_EVENTS: TypedDocumentNode<
  RepositoryEventsSubscription,
  RepositoryEventsSubscriptionVariables
> = gql`
  subscription RepositoryEvents {
    repositoryEvents {
      ...EventFields
      repository {
        id
        name
      }
    }
  }
  ${eventFields}
`;

export const REPOSITORY_CHANGED: TypedDocumentNode<
  RepositoryChangedSubscription,
  RepositoryChangedSubscriptionVariables
> = gql`
  subscription RepositoryChanged {
    repositoryChanged {
      ...RepositoryRowFields
    }
  }
  ${repositoryRowFields}
`;

export const REPOSITORY_REMOVED: TypedDocumentNode<
  RepositoryRemovedSubscription,
  RepositoryRemovedSubscriptionVariables
> = gql`
  subscription RepositoryRemoved {
    repositoryRemoved
  }
`;

export const REFRESH_REPOSITORY: TypedDocumentNode<
  RefreshRepositoryMutation,
  RefreshRepositoryMutationVariables
> = gql`
  mutation RefreshRepository($id: ID!) {
    refreshRepository(id: $id) {
      ...RepositoryRowFields
    }
  }
  ${repositoryRowFields}
`;
