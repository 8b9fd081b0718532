import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ErrorText } from '../components/ErrorText.js';
import { Field, FormError } from '../components/Field.js';
import { formProblems } from '../components/form-problems.js';
import { HiveScope } from '../components/HiveScope.js';
import { ListTable } from '../components/ListTable.js';
import { submitForm } from '../components/submit-form.js';
import { relativeTime } from '../format.js';
import { CREATE_USER, DELETE_USER, SET_USER_LIMITS, USERS } from '../graphql/admin-operations.js';
import { ME } from '../graphql/operations.js';
import { DeleteButton } from '../components/DeleteButton.js';
import type { UserFieldsFragment } from '../graphql/types.js';
import { formText } from '../form-data.js';

/** Admin: the hive's users, a new one, and each one's limits. */
export function Users({ hiveId }: { hiveId: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <UsersView />
    </HiveScope>
  );
}

function UsersView() {
  const { data, error } = useQuery(USERS);
  const [create, creating] = useMutation(CREATE_USER, { refetchQueries: [USERS] });
  const [editing, setEditing] = useState<string | null>(null);
  const me = useQuery(ME);
  const [remove, removing] = useMutation(DELETE_USER, { refetchQueries: [USERS] });
  const problems = formProblems(creating.error, ['username', 'email', 'password']);
  const submit = submitForm((form) =>
    create({
      variables: {
        input: {
          username: formText(form, 'username').trim(),
          email: formText(form, 'email').trim(),
          password: formText(form, 'password'),
          isAdmin: form.get('isAdmin') === 'on',
        },
      },
    }),
  );
  const users = data?.users;
  const editedUser = users?.find((u) => u.id === editing);
  return (
    <>
      <header className="page-header">
        <h1>Users</h1>
      </header>
      <ErrorText error={error ?? removing.error} />
      <form className="card form" onSubmit={submit} aria-labelledby="new-user-title">
        <h2 id="new-user-title">New user</h2>
        <div className="grid-2">
          <Field label="Username" name="username" problems={problems} required autoComplete="off" />
          <Field label="E-mail" name="email" type="email" problems={problems} required />
        </div>
        <Field
          label="Password"
          name="password"
          type="password"
          problems={problems}
          required
          autoComplete="new-password"
          hint="At least 8 characters; they can change it under Security."
        />
        <label className="check">
          <input type="checkbox" name="isAdmin" /> Administrator (sees and manages everything)
        </label>
        <FormError problems={problems} />
        <div className="actions">
          <button type="submit" disabled={creating.loading}>
            {creating.loading ? 'Creating…' : 'Create user'}
          </button>
        </div>
      </form>
      {editedUser && <LimitsForm key={editedUser.id} user={editedUser} onDone={() => setEditing(null)} />}
      <ListTable
        label="Users"
        columns={['User', 'Role', 'Groups', 'Limits']}
        actions
        rows={users}
        failed={error !== undefined}
        loading="Loading users…"
        empty="No users yet."
      >
        {(user) => (
          <tr key={user.id}>
            <th scope="row">
              <span>{user.username}</span>
              <div className="muted small">
                {user.email} · since {relativeTime(user.createdAt)}
              </div>
            </th>
            <td>{user.isAdmin ? 'Administrator' : 'User'}</td>
            <td>{user.groups.map((g) => g.name).join(', ') || '—'}</td>
            <td className="small">{limitsText(user)}</td>
            <td className="cell-actions">
              {!user.isAdmin && (
                <button
                  type="button"
                  className="button-secondary"
                  aria-label={`Edit limits of ${user.username}`}
                  onClick={() => setEditing(user.id)}
                >
                  Edit limits
                </button>
              )}
              {user.id !== me.data?.me.id && (
                <DeleteButton
                  label={`Delete user ${user.username}`}
                  confirm={`Delete user “${user.username}” with their SSH keys, channels and API tokens? Their repositories must be deleted first.`}
                  busy={removing.loading}
                  onConfirmed={() => void remove({ variables: { id: user.id } }).catch(() => null)}
                />
              )}
            </td>
          </tr>
        )}
      </ListTable>
    </>
  );
}

const limitFields = [
  ['repositories', 'Repositories'],
  ['sshKeys', 'SSH keys'],
  ['notificationChannels', 'Notification channels'],
  ['apiTokens', 'API tokens'],
] as const;

function limitsText(user: UserFieldsFragment): string {
  const limits = user.limits;
  if (!limits || user.isAdmin) return 'none';
  return limitFields
    .map(([field, label]) => `${label.toLowerCase()} ${limits[field] === 0 ? '∞' : String(limits[field])}`)
    .join(', ');
}

/** One user's limits: a number (0: no limit), or empty for the hive's default. */
function LimitsForm({ user, onDone }: { user: UserFieldsFragment; onDone: () => void }) {
  const [save, saving] = useMutation(SET_USER_LIMITS, { refetchQueries: [USERS] });
  const problems = formProblems(
    saving.error,
    limitFields.map(([field]) => field),
  );
  const submit = submitForm(async (form) => {
    const value = (name: string): number | null => {
      const text = formText(form, name).trim();
      return text === '' ? null : Number(text);
    };
    const result = await save({
      variables: {
        userId: user.id,
        input: {
          repositories: value('repositories'),
          sshKeys: value('sshKeys'),
          notificationChannels: value('notificationChannels'),
          apiTokens: value('apiTokens'),
        },
      },
    });
    if (result.data) onDone();
    return result;
  });
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="limits-title">
      <h2 id="limits-title">Limits of {user.username}</h2>
      <p className="hint">0: no limit; empty: the hive’s default.</p>
      <div className="grid-2">
        {limitFields.map(([field, label]) => (
          <Field
            key={field}
            label={label}
            name={field}
            problems={problems}
            type="number"
            step={1}
            defaultValue={user.limits?.[field]}
          />
        ))}
      </div>
      <FormError problems={problems} />
      <div className="actions">
        <button type="button" className="button-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" disabled={saving.loading}>
          {saving.loading ? 'Saving…' : 'Save limits'}
        </button>
      </div>
    </form>
  );
}
