import { useMutation, useQuery } from '@apollo/client/react';
import { ErrorText } from '../components/ErrorText.js';
import { HiveScope } from '../components/HiveScope.js';
import { GROUPS } from '../graphql/admin-operations.js';
import {
  CREATE_REPOSITORY,
  EVENT_LIMIT,
  REPOSITORY,
  SSH_KEYS,
  UPDATE_REPOSITORY,
} from '../graphql/operations.js';
import type { RepositoryInput } from '../graphql/types.js';
import { navigate } from '../route.js';
import { RepositoryForm } from './RepositoryForm.js';

/** Create (no id) or edit a repository of one hive. */
export function RepositoryFormScreen({ hiveId, id }: { hiveId: string; id?: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      {id ? <EditRepository hiveId={hiveId} id={id} /> : <CreateRepository hiveId={hiveId} />}
    </HiveScope>
  );
}

function CreateRepository({ hiveId }: { hiveId: string }) {
  const keys = useQuery(SSH_KEYS);
  const groups = useQuery(GROUPS);
  const [create, { error, loading }] = useMutation(CREATE_REPOSITORY);
  const submit = async (input: RepositoryInput): Promise<void> => {
    const { data } = await create({ variables: { input } });
    if (data) navigate({ screen: 'repository', hiveId, id: data.createRepository.id });
  };
  return (
    <>
      <header className="page-header">
        <h1>New repository</h1>
      </header>
      <ErrorText error={keys.error} />
      {!keys.data && !keys.error && <p className="page-message">Loading keys…</p>}
      <RepositoryForm
        keys={keys.data?.sshKeys ?? null}
        groups={groups.data?.groups ?? []}
        busy={loading}
        error={error}
        onSubmit={submit}
        submitLabel="Create repository"
      />
    </>
  );
}

function EditRepository({ hiveId, id }: { hiveId: string; id: string }) {
  const keys = useQuery(SSH_KEYS);
  const groups = useQuery(GROUPS);
  const current = useQuery(REPOSITORY, { variables: { id, limit: EVENT_LIMIT } });
  const [update, { error, loading }] = useMutation(UPDATE_REPOSITORY);
  const repository = current.data?.repository;
  const submit = async (input: RepositoryInput): Promise<void> => {
    const { data } = await update({ variables: { id, input } });
    if (data) navigate({ screen: 'repository', hiveId, id });
  };
  return (
    <>
      <header className="page-header">
        <h1>Edit {repository?.name ?? 'repository'}</h1>
      </header>
      <ErrorText error={keys.error ?? current.error} />
      {repository && (
        <RepositoryForm
          keys={keys.data?.sshKeys ?? null}
          groups={groups.data?.groups ?? []}
          initial={repository}
          busy={loading}
          error={error}
          onSubmit={submit}
          submitLabel="Save changes"
        />
      )}
    </>
  );
}
