import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  CompleteOidcSignInMutation,
  CompleteOidcSignInMutationVariables,
  OidcProviderQuery,
  OidcProviderQueryVariables,
} from './types.js';

export const OIDC_PROVIDER: TypedDocumentNode<OidcProviderQuery, OidcProviderQueryVariables> = gql`
  query OidcProvider {
    oidcProvider {
      name
      startPath
      available
      message
      passwordForAdminsOnly
    }
  }
`;

export const COMPLETE_OIDC_SIGN_IN: TypedDocumentNode<
  CompleteOidcSignInMutation,
  CompleteOidcSignInMutationVariables
> = gql`
  mutation CompleteOidcSignIn($code: String!, $codeVerifier: String!) {
    completeOidcSignIn(code: $code, codeVerifier: $codeVerifier) {
      token
      user {
        id
        username
      }
    }
  }
`;
