import { gql, type TypedDocumentNode } from '@apollo/client';
import { eventFields, repositorySummaryFields, sshKeyFields } from './fragments.js';
import type {
  NotificationChannel,
  NotificationChannelInput,
  RepositoryDetail,
  RepositoryEvent,
  RepositoryFilter,
  RepositoryInput,
  RepositoryOrder,
  RepositoryPage,
  RepositorySummary,
  RepositoryTotals,
  SshKey,
} from './types.js';

export const EVENT_LIMIT = 50;

export const LOGIN: TypedDocumentNode<
  { login: { token: string; user: { id: string; username: string } } },
  { username: string; password: string }
> = gql`
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      token
      user {
        id
        username
      }
    }
  }
`;

export const LOGOUT: TypedDocumentNode<{ logout: boolean }> = gql`
  mutation Logout {
    logout
  }
`;

export const ME: TypedDocumentNode<{ me: { id: string; username: string } }> = gql`
  query Me {
    me {
      id
      username
    }
  }
`;

export const REPOSITORY_PAGE: TypedDocumentNode<
  { repositoryPage: RepositoryPage },
  {
    first: number;
    after: string | null;
    filter: RepositoryFilter;
    orderBy: RepositoryOrder;
    reverse: boolean;
  }
> = gql`
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
          ...RepositorySummaryFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
  ${repositorySummaryFields}
`;

export const REPOSITORY_TOTALS: TypedDocumentNode<
  { repositorySummary: RepositoryTotals },
  { filter: RepositoryFilter }
> = gql`
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

export const REPOSITORY: TypedDocumentNode<
  { repository: RepositoryDetail | null },
  { id: string; limit: number }
> = gql`
  query Repository($id: ID!, $limit: Int) {
    repository(id: $id) {
      ...RepositorySummaryFields
      path
      pingUrl
      createdAt
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
    }
  }
  ${repositorySummaryFields}
  ${eventFields}
`;

export const SSH_KEYS: TypedDocumentNode<{ sshKeys: SshKey[] }> = gql`
  query SshKeys {
    sshKeys {
      ...SshKeyFields
    }
  }
  ${sshKeyFields}
`;

export const ADD_SSH_KEY: TypedDocumentNode<{ addSshKey: SshKey }, { name: string; publicKey: string }> = gql`
  mutation AddSshKey($name: String!, $publicKey: String!) {
    addSshKey(name: $name, publicKey: $publicKey) {
      ...SshKeyFields
    }
  }
  ${sshKeyFields}
`;

export const DELETE_SSH_KEY: TypedDocumentNode<{ deleteSshKey: boolean }, { id: string }> = gql`
  mutation DeleteSshKey($id: ID!) {
    deleteSshKey(id: $id)
  }
`;

export const CREATE_REPOSITORY: TypedDocumentNode<
  { createRepository: RepositorySummary },
  { input: RepositoryInput }
> = gql`
  mutation CreateRepository($input: CreateRepositoryInput!) {
    createRepository(input: $input) {
      ...RepositorySummaryFields
    }
  }
  ${repositorySummaryFields}
`;

export const UPDATE_REPOSITORY: TypedDocumentNode<
  { updateRepository: RepositorySummary },
  { id: string; input: RepositoryInput }
> = gql`
  mutation UpdateRepository($id: ID!, $input: UpdateRepositoryInput!) {
    updateRepository(id: $id, input: $input) {
      ...RepositorySummaryFields
    }
  }
  ${repositorySummaryFields}
`;

export const NOTIFICATION_CHANNELS: TypedDocumentNode<{ notificationChannels: NotificationChannel[] }> = gql`
  query NotificationChannels {
    notificationChannels {
      id
      name
      kind
      enabled
    }
  }
`;

export const CREATE_NOTIFICATION_CHANNEL: TypedDocumentNode<
  { createNotificationChannel: NotificationChannel },
  { input: NotificationChannelInput }
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
  { testNotificationChannel: boolean },
  { input: NotificationChannelInput }
> = gql`
  mutation TestNotificationChannel($input: NotificationChannelInput!) {
    testNotificationChannel(input: $input)
  }
`;

export const REPOSITORY_EVENTS: TypedDocumentNode<{
  repositoryEvents: RepositoryEvent & { repository: { id: string; name: string } };
}> = gql`
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

export const REPOSITORY_CHANGED: TypedDocumentNode<{ repositoryChanged: RepositorySummary }> = gql`
  subscription RepositoryChanged {
    repositoryChanged {
      ...RepositorySummaryFields
    }
  }
  ${repositorySummaryFields}
`;

export const REPOSITORY_REMOVED: TypedDocumentNode<{ repositoryRemoved: string }> = gql`
  subscription RepositoryRemoved {
    repositoryRemoved
  }
`;

export const REFRESH_REPOSITORY: TypedDocumentNode<{ refreshRepository: RepositorySummary }, { id: string }> =
  gql`
    mutation RefreshRepository($id: ID!) {
      refreshRepository(id: $id) {
        ...RepositorySummaryFields
      }
    }
    ${repositorySummaryFields}
  `;
