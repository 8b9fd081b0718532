import { gql, type TypedDocumentNode } from '@apollo/client';

export type TokenScope = 'READ_ONLY' | 'FULL' | 'KEYS_READ' | 'AGENT';

export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly scope: TokenScope;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly createdAt: string;
}

const apiTokenFields = gql`
  fragment ApiTokenFields on ApiToken {
    id
    name
    scope
    expiresAt
    lastUsedAt
    revokedAt
    createdAt
  }
`;

export const API_TOKENS: TypedDocumentNode<{ apiTokens: ApiToken[] }> = gql`
  query ApiTokens {
    apiTokens {
      ...ApiTokenFields
    }
  }
  ${apiTokenFields}
`;

export const CREATE_API_TOKEN: TypedDocumentNode<
  { createApiToken: { token: string; apiToken: ApiToken } },
  { name: string; scope: TokenScope; expiresAt: string | null; locationId: string | null }
> = gql`
  mutation CreateApiToken($name: String!, $scope: TokenScope!, $expiresAt: DateTimeISO, $locationId: ID) {
    createApiToken(name: $name, scope: $scope, expiresAt: $expiresAt, locationId: $locationId) {
      token
      apiToken {
        ...ApiTokenFields
      }
    }
  }
  ${apiTokenFields}
`;

export const REVOKE_API_TOKEN: TypedDocumentNode<{ revokeApiToken: boolean }, { id: string }> = gql`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id)
  }
`;

/** The locations an AGENT token may be bound to (one storage node each). */
export const TOKEN_LOCATIONS: TypedDocumentNode<{ locations: { id: string; name: string }[] }> = gql`
  query TokenLocations {
    locations {
      id
      name
    }
  }
`;
