/** A repository user as a system account: `home` is `<repo path>/<repo user>`. */
export interface RepoAccount {
  user: string;
  uid: number;
  gid: number;
  home: string;
  /**
   * Set by list() when something the backend writes besides uid, gid and home differs from what
   * ensure() would write (e.g. a loginShell edited by hand); the reconciler then calls ensure().
   */
  readonly drifted?: boolean;
}

/**
 * Where repository users become system accounts (nothing, /etc/passwd, or an LDAP directory read by
 * nslcd on the storage node). Every backend marks its accounts with {@link REPO_ACCOUNT_GECOS} and
 * never reads, changes or removes an account without that mark.
 */
export interface AccountsBackend {
  readonly kind: 'none' | 'local' | 'ldap';
  /** Creates the account, or updates an existing one of ours to match. */
  ensure(account: RepoAccount): Promise<void>;
  /** Removes the account if it exists and is ours; removing a missing account is not an error. */
  remove(user: string): Promise<void>;
  /** Only the accounts this backend owns. */
  list(): Promise<RepoAccount[]>;
  close(): Promise<void>;
}

/** The GECOS field of every account the hive owns (the original's marker, kept for existing hives). */
export const REPO_ACCOUNT_GECOS = 'Borghive Repo User';

/** The backend cannot be reached or used right now; the caller should fail its mutation cleanly. */
export class AccountsUnavailableError extends Error {
  override readonly name = 'AccountsUnavailableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An account with that name exists but was not made by the hive, so it is left alone. */
export class AccountConflictError extends Error {
  override readonly name = 'AccountConflictError';

  constructor(
    readonly user: string,
    where: string,
  ) {
    super(`${where} already has an account "${user}" that Borg Hive does not own; it is left untouched`);
  }
}
