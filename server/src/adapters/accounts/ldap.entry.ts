import { REPO_USER } from '@borg-hive/rules';
import { Attribute, Change, type Entry } from 'ldapts';
import { REPO_ACCOUNT_GECOS, type RepoAccount } from './accounts.backend.js';

/** The original's entry layout, kept so existing storage nodes (nslcd, pam_ldap) keep working. */
export const OBJECT_CLASSES = ['organizationalPerson', 'posixAccount', 'shadowAccount'] as const;
export const LOGIN_SHELL = '/bin/bash';

/** Entries the hive owns: posix accounts carrying the marker (the uid pattern is checked on read). */
export const OWNED_FILTER = `(&(objectClass=posixAccount)(gecos=${REPO_ACCOUNT_GECOS}))`;

/**
 * Entries of ours whose loginShell or object classes differ from what ensure() writes (an absent
 * attribute counts as different). cn/sn cannot be compared to uid in a filter; ensure() fixes them.
 */
export const DRIFTED_FILTER = `(&${OWNED_FILTER}(|(!(loginShell=${LOGIN_SHELL}))${OBJECT_CLASSES.map(
  (name) => `(!(objectClass=${name}))`,
).join('')}))`;

/** What list() reads: the search filter has already established ownership. */
export const LIST_ATTRIBUTES = ['uid', 'uidNumber', 'gidNumber', 'homeDirectory'];

export const READ_ATTRIBUTES = [
  'objectClass',
  'uid',
  'cn',
  'sn',
  'uidNumber',
  'gidNumber',
  'gecos',
  'homeDirectory',
  'loginShell',
];

export function accountDn(user: string, userBaseDn: string): string {
  return `uid=${user},${userBaseDn}`;
}

/** The attributes of a new entry, exactly as the original wrote them. */
export function entryAttributes(account: RepoAccount): Record<string, string | string[]> {
  return { objectClass: [...OBJECT_CLASSES], ...managedValues(account) };
}

function managedValues(account: RepoAccount): Record<string, string> {
  return {
    uid: account.user,
    cn: account.user,
    sn: account.user,
    uidNumber: String(account.uid),
    gidNumber: String(account.gid),
    gecos: REPO_ACCOUNT_GECOS,
    homeDirectory: account.home,
    loginShell: LOGIN_SHELL,
  };
}

/** The values of an attribute, found case-insensitively (servers may spell names differently). */
export function attributeValues(entry: Entry, name: string): string[] {
  const key = Object.keys(entry).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (typeof item === 'string' ? item : item.toString('utf8')));
}

function single(entry: Entry, name: string): string | undefined {
  const values = attributeValues(entry, name);
  return values.length === 1 ? values[0] : undefined;
}

export function isOwnedEntry(entry: Entry): boolean {
  const classes = attributeValues(entry, 'objectClass').map((value) => value.toLowerCase());
  return classes.includes('posixaccount') && single(entry, 'gecos') === REPO_ACCOUNT_GECOS;
}

/** The account an entry found with {@link OWNED_FILTER} describes, or undefined when it is no repo user. */
export function accountFromListedEntry(entry: Entry): RepoAccount | undefined {
  const user = single(entry, 'uid');
  const uid = Number(single(entry, 'uidNumber'));
  const gid = Number(single(entry, 'gidNumber'));
  const home = single(entry, 'homeDirectory');
  if (user === undefined || !REPO_USER.test(user)) return undefined;
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || home === undefined) return undefined;
  return { user, uid, gid, home };
}

/** Only the modifications needed to make an existing entry of ours match the account. */
export function driftChanges(entry: Entry, account: RepoAccount): Change[] {
  const changes: Change[] = [];
  const present = attributeValues(entry, 'objectClass').map((value) => value.toLowerCase());
  const missing = OBJECT_CLASSES.filter((name) => !present.includes(name.toLowerCase()));
  if (missing.length > 0) {
    changes.push(
      new Change({ operation: 'add', modification: new Attribute({ type: 'objectClass', values: missing }) }),
    );
  }
  for (const [type, value] of Object.entries(managedValues(account))) {
    if (type === 'uid') continue; // the RDN: never rewritten
    const current = attributeValues(entry, type);
    if (current.length !== 1 || current[0] !== value) {
      changes.push(
        new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) }),
      );
    }
  }
  return changes;
}
