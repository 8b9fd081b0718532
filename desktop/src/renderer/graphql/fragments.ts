import { gql } from '@apollo/client';

export const repositorySummaryFields = gql`
  fragment RepositorySummaryFields on Repository {
    id
    name
    repoUser
    mode
    url
    isOpen
    isStale
    usageBytes
    quotaBytes
    alertAfterDays
    lastUpdatedAt
    lastBackupAt
    lastAccessAt
    health {
      state
      reason
      since
    }
    owner {
      id
      username
    }
  }
`;

export const eventFields = gql`
  fragment EventFields on RepositoryEvent {
    id
    type
    message
    createdAt
  }
`;

export const sshKeyFields = gql`
  fragment SshKeyFields on SshKey {
    id
    name
    type
    bits
    fingerprint
    comment
    lastUsedAt
    createdAt
  }
`;
