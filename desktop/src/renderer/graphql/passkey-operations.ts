import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  DeletePasskeyMutation,
  DeletePasskeyMutationVariables,
  FinishPasskeyRegistrationMutation,
  FinishPasskeyRegistrationMutationVariables,
  LoginWithPasskeyFactorMutation,
  LoginWithPasskeyFactorMutationVariables,
  LoginWithPasskeyMutation,
  LoginWithPasskeyMutationVariables,
  PasskeySignInOptionsMutation,
  PasskeySignInOptionsMutationVariables,
  PasskeysQuery,
  PasskeysQueryVariables,
  RenamePasskeyMutation,
  RenamePasskeyMutationVariables,
  StartPasskeyRegistrationMutation,
  StartPasskeyRegistrationMutationVariables,
} from './types.js';

export const PASSKEYS: TypedDocumentNode<PasskeysQuery, PasskeysQueryVariables> = gql`
  query Passkeys {
    passkeys {
      id
      name
      deviceType
      backedUp
      createdAt
      lastUsedAt
    }
  }
`;

export const START_PASSKEY_REGISTRATION: TypedDocumentNode<
  StartPasskeyRegistrationMutation,
  StartPasskeyRegistrationMutationVariables
> = gql`
  mutation StartPasskeyRegistration {
    startPasskeyRegistration
  }
`;

export const FINISH_PASSKEY_REGISTRATION: TypedDocumentNode<
  FinishPasskeyRegistrationMutation,
  FinishPasskeyRegistrationMutationVariables
> = gql`
  mutation FinishPasskeyRegistration($name: String!, $response: JSONObject!) {
    finishPasskeyRegistration(name: $name, response: $response) {
      id
      name
    }
  }
`;

export const RENAME_PASSKEY: TypedDocumentNode<RenamePasskeyMutation, RenamePasskeyMutationVariables> = gql`
  mutation RenamePasskey($id: ID!, $name: String!) {
    renamePasskey(id: $id, name: $name) {
      id
      name
    }
  }
`;

export const DELETE_PASSKEY: TypedDocumentNode<DeletePasskeyMutation, DeletePasskeyMutationVariables> = gql`
  mutation DeletePasskey($id: ID!) {
    deletePasskey(id: $id)
  }
`;

export const PASSKEY_SIGN_IN_OPTIONS: TypedDocumentNode<
  PasskeySignInOptionsMutation,
  PasskeySignInOptionsMutationVariables
> = gql`
  mutation PasskeySignInOptions {
    passkeySignInOptions
  }
`;

export const LOGIN_WITH_PASSKEY: TypedDocumentNode<
  LoginWithPasskeyMutation,
  LoginWithPasskeyMutationVariables
> = gql`
  mutation LoginWithPasskey($response: JSONObject!) {
    loginWithPasskey(response: $response) {
      token
    }
  }
`;

/** The password and a passkey's answer to the challenge the first step (otpRequired) carried. */
export const LOGIN_WITH_PASSKEY_FACTOR: TypedDocumentNode<
  LoginWithPasskeyFactorMutation,
  LoginWithPasskeyFactorMutationVariables
> = gql`
  mutation LoginWithPasskeyFactor($username: String!, $password: String!, $passkey: JSONObject!) {
    login(username: $username, password: $password, passkey: $passkey) {
      token
    }
  }
`;
