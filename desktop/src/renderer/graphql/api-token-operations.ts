import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  ApiTokensQuery,
  ApiTokensQueryVariables,
  CreateApiTokenMutation,
  CreateApiTokenMutationVariables,
  RevokeApiTokenMutation,
  RevokeApiTokenMutationVariables,
} from './types.js';

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

export const API_TOKENS: TypedDocumentNode<ApiTokensQuery, ApiTokensQueryVariables> = gql`
  query ApiTokens {
    apiTokens {
      ...ApiTokenFields
    }
  }
  ${apiTokenFields}
`;

export const CREATE_API_TOKEN: TypedDocumentNode<CreateApiTokenMutation, CreateApiTokenMutationVariables> =
  gql`
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

export const REVOKE_API_TOKEN: TypedDocumentNode<RevokeApiTokenMutation, RevokeApiTokenMutationVariables> =
  gql`
    mutation RevokeApiToken($id: ID!) {
      revokeApiToken(id: $id)
    }
  `;
