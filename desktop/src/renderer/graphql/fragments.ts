import { gql } from '@apollo/client';

/** What a row of the overview shows (named apart from the API's `RepositoryRow`, the totals). */
export const repositoryRowFields = gql`
  fragment RepositoryRowFields on Repository {
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
    log
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
