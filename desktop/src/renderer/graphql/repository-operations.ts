import { gql, type TypedDocumentNode } from '@apollo/client';
import type { DeleteRepositoryMutation, DeleteRepositoryMutationVariables } from './generated/operations.js';

/** deleteData: also remove the repository's directory (its backups) from disk. */
export const DELETE_REPOSITORY: TypedDocumentNode<
  DeleteRepositoryMutation,
  DeleteRepositoryMutationVariables
> = gql`
  mutation DeleteRepository($id: ID!, $deleteData: Boolean!) {
    deleteRepository(id: $id, deleteData: $deleteData)
  }
`;
