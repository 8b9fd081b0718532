import type { AccountsBackend, RepoAccount } from './accounts.backend.js';

/** Repo users stay database rows only: the storage node resolves them some other way. */
export class NoneAccountsBackend implements AccountsBackend {
  readonly kind = 'none';

  async ensure(_account: RepoAccount): Promise<void> {}

  async remove(_user: string): Promise<void> {}

  async list(): Promise<RepoAccount[]> {
    return [];
  }

  async close(): Promise<void> {}
}
