import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  AddGroupMemberMutation,
  AddGroupMemberMutationVariables,
  CreateGroupMutation,
  CreateGroupMutationVariables,
  CreateLocationMutation,
  CreateLocationMutationVariables,
  CreateUserMutation,
  CreateUserMutationVariables,
  DeleteLocationMutation,
  DeleteLocationMutationVariables,
  UpdateLocationMutation,
  UpdateLocationMutationVariables,
  DeleteGroupMutation,
  DeleteGroupMutationVariables,
  DeleteUserMutation,
  DeleteUserMutationVariables,
  RenameGroupMutation,
  RenameGroupMutationVariables,
  GroupsQuery,
  GroupsQueryVariables,
  LocationsQuery,
  LocationsQueryVariables,
  RemoveGroupMemberMutation,
  RemoveGroupMemberMutationVariables,
  SetUserLimitsMutation,
  SetUserLimitsMutationVariables,
  UsersQuery,
  UsersQueryVariables,
} from './generated/operations.js';

// The admin screens: users (with their groups and limits), groups, storage locations.

const userFields = gql`
  fragment UserFields on User {
    id
    username
    email
    isAdmin
    createdAt
    groups {
      id
      name
    }
    limits {
      repositories
      sshKeys
      notificationChannels
      apiTokens
    }
  }
`;

export const USERS: TypedDocumentNode<UsersQuery, UsersQueryVariables> = gql`
  query Users {
    users {
      ...UserFields
    }
  }
  ${userFields}
`;

export const CREATE_USER: TypedDocumentNode<CreateUserMutation, CreateUserMutationVariables> = gql`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      ...UserFields
    }
  }
  ${userFields}
`;

export const SET_USER_LIMITS: TypedDocumentNode<SetUserLimitsMutation, SetUserLimitsMutationVariables> = gql`
  mutation SetUserLimits($userId: ID!, $input: UserLimitsInput!) {
    setUserLimits(userId: $userId, input: $input) {
      ...UserFields
    }
  }
  ${userFields}
`;

/** Your groups (an admin: all of them). */
export const GROUPS: TypedDocumentNode<GroupsQuery, GroupsQueryVariables> = gql`
  query Groups {
    groups {
      id
      name
      createdAt
    }
  }
`;

export const CREATE_GROUP: TypedDocumentNode<CreateGroupMutation, CreateGroupMutationVariables> = gql`
  mutation CreateGroup($name: String!, $memberIds: [ID!]) {
    createGroup(name: $name, memberIds: $memberIds) {
      id
      name
    }
  }
`;

export const ADD_GROUP_MEMBER: TypedDocumentNode<AddGroupMemberMutation, AddGroupMemberMutationVariables> =
  gql`
    mutation AddGroupMember($groupId: ID!, $userId: ID!) {
      addGroupMember(groupId: $groupId, userId: $userId) {
        id
      }
    }
  `;

export const REMOVE_GROUP_MEMBER: TypedDocumentNode<
  RemoveGroupMemberMutation,
  RemoveGroupMemberMutationVariables
> = gql`
  mutation RemoveGroupMember($groupId: ID!, $userId: ID!) {
    removeGroupMember(groupId: $groupId, userId: $userId) {
      id
    }
  }
`;

export const DELETE_GROUP: TypedDocumentNode<DeleteGroupMutation, DeleteGroupMutationVariables> = gql`
  mutation DeleteGroup($id: ID!) {
    deleteGroup(id: $id)
  }
`;

export const RENAME_GROUP: TypedDocumentNode<RenameGroupMutation, RenameGroupMutationVariables> = gql`
  mutation RenameGroup($id: ID!, $name: String!) {
    renameGroup(id: $id, name: $name) {
      id
      name
    }
  }
`;

/** Refused (CONFLICT) while the user owns repositories, and for oneself. */
export const DELETE_USER: TypedDocumentNode<DeleteUserMutation, DeleteUserMutationVariables> = gql`
  mutation DeleteUser($id: ID!) {
    deleteUser(id: $id)
  }
`;

export const LOCATIONS: TypedDocumentNode<LocationsQuery, LocationsQueryVariables> = gql`
  query Locations {
    locations {
      id
      name
      sshHost
      sshPort
      isDefault
      agentSeenAt
      hostKeys
      hostKeyFingerprints
    }
  }
`;

export const CREATE_LOCATION: TypedDocumentNode<CreateLocationMutation, CreateLocationMutationVariables> =
  gql`
    mutation CreateLocation($name: String!, $sshHost: String!, $sshPort: Int!, $isDefault: Boolean!) {
      createLocation(name: $name, sshHost: $sshHost, sshPort: $sshPort, isDefault: $isDefault) {
        id
      }
    }
  `;

export const UPDATE_LOCATION: TypedDocumentNode<UpdateLocationMutation, UpdateLocationMutationVariables> =
  gql`
    mutation UpdateLocation(
      $id: ID!
      $name: String!
      $sshHost: String!
      $sshPort: Int!
      $isDefault: Boolean!
      $hostKeys: [String!]
    ) {
      updateLocation(
        id: $id
        name: $name
        sshHost: $sshHost
        sshPort: $sshPort
        isDefault: $isDefault
        hostKeys: $hostKeys
      ) {
        id
        hostKeys
        hostKeyFingerprints
      }
    }
  `;

export const DELETE_LOCATION: TypedDocumentNode<DeleteLocationMutation, DeleteLocationMutationVariables> =
  gql`
    mutation DeleteLocation($id: ID!) {
      deleteLocation(id: $id)
    }
  `;
