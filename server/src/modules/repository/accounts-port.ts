/** What the repository service needs from the accounts backend (adapters/accounts). */
export interface RepoAccountSpec {
  user: string;
  uid: number;
  gid: number;
  home: string;
}

export interface AccountsPort {
  readonly kind: 'none' | 'local' | 'ldap';
  ensure(account: RepoAccountSpec): Promise<void>;
  remove(user: string): Promise<void>;
}

export const noAccounts: AccountsPort = {
  kind: 'none',
  ensure: async () => {},
  remove: async () => {},
};
