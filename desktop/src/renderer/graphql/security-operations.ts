import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  AuditLogQuery,
  AuditLogQueryVariables,
  ChangePasswordMutation,
  ChangePasswordMutationVariables,
  ConfirmTotpMutation,
  ConfirmTotpMutationVariables,
  DisableTotpMutation,
  DisableTotpMutationVariables,
  EnableTotpMutation,
  EnableTotpMutationVariables,
  RevokeOtherSessionsMutation,
  RevokeOtherSessionsMutationVariables,
  RevokeSessionMutation,
  RevokeSessionMutationVariables,
  SecurityQuery,
  SecurityQueryVariables,
} from './types.js';

export const SECURITY: TypedDocumentNode<SecurityQuery, SecurityQueryVariables> = gql`
  query Security {
    totpStatus {
      enabled
      recoveryCodesLeft
    }
    sessions {
      id
      createdAt
      lastUsedAt
      address
      userAgent
      current
    }
  }
`;

export const ENABLE_TOTP: TypedDocumentNode<EnableTotpMutation, EnableTotpMutationVariables> = gql`
  mutation EnableTotp {
    enableTotp {
      secret
      otpauthUrl
    }
  }
`;

export const CONFIRM_TOTP: TypedDocumentNode<ConfirmTotpMutation, ConfirmTotpMutationVariables> = gql`
  mutation ConfirmTotp($code: String!) {
    confirmTotp(code: $code)
  }
`;

export const DISABLE_TOTP: TypedDocumentNode<DisableTotpMutation, DisableTotpMutationVariables> = gql`
  mutation DisableTotp($code: String!) {
    disableTotp(code: $code)
  }
`;

export const REVOKE_SESSION: TypedDocumentNode<RevokeSessionMutation, RevokeSessionMutationVariables> = gql`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`;

export const REVOKE_OTHER_SESSIONS: TypedDocumentNode<
  RevokeOtherSessionsMutation,
  RevokeOtherSessionsMutationVariables
> = gql`
  mutation RevokeOtherSessions {
    revokeOtherSessions
  }
`;

export const CHANGE_PASSWORD: TypedDocumentNode<ChangePasswordMutation, ChangePasswordMutationVariables> =
  gql`
    mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
      changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
    }
  `;

export const AUDIT_LOG: TypedDocumentNode<AuditLogQuery, AuditLogQueryVariables> = gql`
  query AuditLog($filter: AuditLogFilter, $first: Int!, $after: ID) {
    auditLog(filter: $filter, first: $first, after: $after) {
      entries {
        id
        at
        actorName
        via
        address
        operation
        target
        outcome
        details
      }
      nextCursor
    }
  }
`;
