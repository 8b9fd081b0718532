import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { DeleteButton } from '../components/DeleteButton.js';
import { ErrorText } from '../components/ErrorText.js';
import { Field, FormError } from '../components/Field.js';
import { formProblems } from '../components/form-problems.js';
import { HiveScope } from '../components/HiveScope.js';
import { ListTable } from '../components/ListTable.js';
import { submitForm } from '../components/submit-form.js';
import {
  ADD_GROUP_MEMBER,
  CREATE_GROUP,
  DELETE_GROUP,
  GROUPS,
  REMOVE_GROUP_MEMBER,
  RENAME_GROUP,
  USERS,
} from '../graphql/admin-operations.js';
import type { GroupsQuery, UsersQuery } from '../graphql/types.js';
import { formText } from '../form-data.js';

type Group = GroupsQuery['groups'][number];
type User = UsersQuery['users'][number];

/** Admin: groups and their members; repositories are shared with groups (on the repository's form). */
export function Groups({ hiveId }: { hiveId: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <GroupsView />
    </HiveScope>
  );
}

function GroupsView() {
  const groups = useQuery(GROUPS);
  const users = useQuery(USERS);
  const refetchQueries = [GROUPS, USERS];
  const [create, creating] = useMutation(CREATE_GROUP, { refetchQueries });
  const [remove, removing] = useMutation(DELETE_GROUP, { refetchQueries });
  const [renaming, setRenaming] = useState<string | null>(null);
  const problems = formProblems(creating.error, ['name']);
  const submit = submitForm((form) => create({ variables: { name: formText(form, 'name').trim() } }));
  const error = groups.error ?? users.error;
  const members = (group: Group): User[] =>
    (users.data?.users ?? []).filter((u) => u.groups.some((g) => g.id === group.id));
  return (
    <>
      <header className="page-header">
        <h1>Groups</h1>
      </header>
      <p className="muted">
        Members of a group see, operate or manage the repositories shared with it, as the share’s role says.
      </p>
      <ErrorText error={error ?? removing.error} />
      <form className="card form" onSubmit={submit} aria-labelledby="new-group-title">
        <h2 id="new-group-title">New group</h2>
        <Field
          label="Name"
          name="name"
          problems={problems}
          required
          maxLength={64}
          placeholder="backup-team"
        />
        <FormError problems={problems} />
        <div className="actions">
          <button type="submit" disabled={creating.loading}>
            {creating.loading ? 'Creating…' : 'Create group'}
          </button>
        </div>
      </form>
      <ListTable
        label="Groups"
        columns={['Group', 'Members']}
        actions
        rows={users.data ? groups.data?.groups : undefined}
        failed={error !== undefined}
        loading="Loading groups…"
        empty="No groups yet."
      >
        {(group) => (
          <tr key={group.id}>
            <th scope="row">
              {renaming === group.id ? (
                <RenameForm group={group} onDone={() => setRenaming(null)} />
              ) : (
                group.name
              )}
            </th>
            <td>
              <Members group={group} members={members(group)} users={users.data?.users ?? []} />
            </td>
            <td className="cell-actions">
              <button
                type="button"
                className="button-secondary"
                aria-label={`Rename group ${group.name}`}
                onClick={() => setRenaming(group.id)}
              >
                Rename
              </button>
              <DeleteButton
                label={`Delete group ${group.name}`}
                confirm={`Delete group “${group.name}”? Its members lose what was shared with it.`}
                busy={removing.loading}
                onConfirmed={() => void remove({ variables: { id: group.id } }).catch(() => {})}
              />
            </td>
          </tr>
        )}
      </ListTable>
    </>
  );
}

/** A group's new name, checked by the hive (refused at the field: bad or taken). */
function RenameForm({ group, onDone }: { group: Group; onDone: () => void }) {
  const [rename, renaming] = useMutation(RENAME_GROUP, { refetchQueries: [GROUPS, USERS] });
  const problems = formProblems(renaming.error, ['name']);
  const submit = submitForm(async (form) => {
    const result = await rename({ variables: { id: group.id, name: formText(form, 'name').trim() } });
    if (result.data) onDone();
    return result;
  });
  return (
    <form className="form" onSubmit={submit} aria-label={`Rename group ${group.name}`}>
      <Field
        label="New name"
        name="name"
        problems={problems}
        required
        maxLength={64}
        defaultValue={group.name}
      />
      <FormError problems={problems} />
      <div className="actions">
        <button type="button" className="button-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" disabled={renaming.loading}>
          {renaming.loading ? 'Saving…' : 'Save name'}
        </button>
      </div>
    </form>
  );
}

interface MembersProps {
  group: Group;
  members: readonly User[];
  users: readonly User[];
}

/** The members of one group, each removable, and a picker to add one more. */
function Members({ group, members, users }: MembersProps) {
  const refetchQueries = [USERS];
  const [add, adding] = useMutation(ADD_GROUP_MEMBER, { refetchQueries });
  const [remove, removing] = useMutation(REMOVE_GROUP_MEMBER, { refetchQueries });
  const others = users.filter((u) => !members.includes(u));
  const submit = submitForm((form) =>
    add({ variables: { groupId: group.id, userId: formText(form, 'userId') } }),
  );
  return (
    <>
      <ul className="plain-list member-list">
        {members.map((member) => (
          <li key={member.id}>
            {member.username}{' '}
            <DeleteButton
              label={`Remove ${member.username} from ${group.name}`}
              confirm={`Remove ${member.username} from “${group.name}”?`}
              busy={removing.loading}
              onConfirmed={() =>
                void remove({ variables: { groupId: group.id, userId: member.id } }).catch(() => {})
              }
            >
              Remove
            </DeleteButton>
          </li>
        ))}
      </ul>
      {others.length > 0 && (
        <form className="inline-form" onSubmit={submit} aria-label={`Add a member to ${group.name}`}>
          <select name="userId" aria-label={`User to add to ${group.name}`}>
            {others.map((u) => (
              <option key={u.id} value={u.id}>
                {u.username}
              </option>
            ))}
          </select>
          <button type="submit" className="button-secondary" disabled={adding.loading}>
            Add member
          </button>
        </form>
      )}
      <ErrorText error={adding.error ?? removing.error} />
    </>
  );
}
