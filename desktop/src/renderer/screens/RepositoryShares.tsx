import type { ShareRole } from '../graphql/types.js';

export const SHARE_ROLES: Readonly<Record<ShareRole, string>> = {
  VIEW: 'View',
  OPERATE: 'Operate',
  MANAGE: 'Manage',
};

const ROLE_HINTS: Readonly<Record<ShareRole, string>> = {
  VIEW: 'see it, its events and statistics',
  OPERATE: 'view, and refresh it',
  MANAGE: 'operate, and change or delete it',
};

export interface ShareChoice {
  readonly groupId: string;
  readonly role: ShareRole;
}

/** Whether two share lists give the same groups the same roles, in any order. */
export function sameShares(a: readonly ShareChoice[], b: readonly ShareChoice[]): boolean {
  const key = (list: readonly ShareChoice[]): string =>
    list
      .map((s) => `${s.groupId}:${s.role}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

interface Props {
  /** the groups one may share with, and those it is shared with already */
  groups: readonly { id: string; name: string }[];
  shares: readonly ShareChoice[];
  onChange: (shares: ShareChoice[]) => void;
}

/** Which groups a repository is shared with, and what their members may do with it. */
export function RepositoryShares({ groups, shares, onChange }: Props) {
  const roleOf = (groupId: string): ShareRole | '' => shares.find((s) => s.groupId === groupId)?.role ?? '';
  const set = (groupId: string, role: ShareRole | ''): void => {
    const others = shares.filter((s) => s.groupId !== groupId);
    onChange(role ? [...others, { groupId, role }] : others);
  };
  return (
    <fieldset>
      <legend>Shared with</legend>
      {groups.length === 0 ? (
        <p className="muted small">No groups to share with.</p>
      ) : (
        <>
          <p className="hint">
            {(Object.keys(SHARE_ROLES) as ShareRole[])
              .map((role) => `${SHARE_ROLES[role]}: ${ROLE_HINTS[role]}`)
              .join('; ')}
            .
          </p>
          <div className="grid-2">
            {groups.map((group) => (
              <label key={group.id}>
                {group.name}
                <select
                  value={roleOf(group.id)}
                  onChange={(event) => set(group.id, event.currentTarget.value as ShareRole | '')}
                >
                  <option value="">Not shared</option>
                  {(Object.keys(SHARE_ROLES) as ShareRole[]).map((role) => (
                    <option key={role} value={role}>
                      {SHARE_ROLES[role]}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
        </>
      )}
    </fieldset>
  );
}
