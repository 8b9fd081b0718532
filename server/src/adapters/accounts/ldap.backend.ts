import { AlreadyExistsError, NoSuchObjectError, SizeLimitExceededError, type Entry } from 'ldapts';
import type { Logger } from 'pino';
import { AccountConflictError, type AccountsBackend, type RepoAccount } from './accounts.backend.js';
import {
  DRIFTED_FILTER,
  LIST_ATTRIBUTES,
  OWNED_FILTER,
  READ_ATTRIBUTES,
  accountDn,
  accountFromListedEntry,
  attributeValues,
  driftChanges,
  entryAttributes,
  isOwnedEntry,
} from './ldap.entry.js';
import { LdapSession, type LdapAccountsConfig } from './ldap.session.js';
import { assertRepoAccount, assertRepoUser } from './repo-account.validation.js';

const PAGE_SIZE = 1000;

/** Repo users as `uid=<user>,<userBaseDn>` posix accounts, read by nslcd on the storage node. */
export class LdapAccountsBackend implements AccountsBackend {
  readonly kind = 'ldap';
  private readonly session: LdapSession;

  constructor(
    private readonly config: LdapAccountsConfig,
    private readonly logger: Logger,
  ) {
    this.session = new LdapSession(config, logger);
  }

  async ensure(account: RepoAccount): Promise<void> {
    assertRepoAccount(account);
    const dn = accountDn(account.user, this.config.userBaseDn);
    try {
      await this.session.use((client) => client.add(dn, entryAttributes(account)));
      this.logger.info({ user: account.user, uid: account.uid }, 'repo account created in the directory');
      return;
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
    const entry = await this.read(dn);
    if (entry === undefined) return this.ensure(account); // removed in between: add again
    if (!isOwnedEntry(entry)) throw new AccountConflictError(account.user, `the directory (${dn})`);
    const changes = driftChanges(entry, account);
    if (changes.length === 0) return;
    await this.session.use((client) => client.modify(dn, changes));
    const attributes = changes.map((change) => change.modification.type);
    this.logger.info({ user: account.user, attributes }, 'repo account updated in the directory');
  }

  async remove(user: string): Promise<void> {
    assertRepoUser(user);
    const dn = accountDn(user, this.config.userBaseDn);
    const entry = await this.read(dn);
    if (entry === undefined) return;
    if (!isOwnedEntry(entry)) {
      this.logger.warn({ dn }, 'not removing a directory entry that Borg Hive does not own');
      return;
    }
    try {
      await this.session.use((client) => client.del(dn));
      this.logger.info({ user }, 'repo account removed from the directory');
    } catch (error) {
      if (!(error instanceof NoSuchObjectError)) throw error;
    }
  }

  /**
   * One paged search for uid/gid/home, and one for entries whose shell or object classes differ from
   * what ensure() writes (few or none; reading every attribute of every entry would double the time).
   */
  async list(): Promise<RepoAccount[]> {
    // One after the other: slapd keeps one paged search per connection (a second voids the cookie).
    const drifted = await this.search(DRIFTED_FILTER, ['uid']);
    const listed = await this.search(OWNED_FILTER, LIST_ATTRIBUTES);
    const driftedUsers = new Set(drifted.flatMap((entry) => attributeValues(entry, 'uid')));
    const accounts: RepoAccount[] = [];
    for (const entry of listed) {
      const account = accountFromListedEntry(entry);
      if (account === undefined) continue;
      accounts.push(driftedUsers.has(account.user) ? { ...account, drifted: true } : account);
    }
    return accounts;
  }

  private async search(filter: string, attributes: string[]): Promise<Entry[]> {
    const search = this.session.use((client) =>
      client.search(this.config.userBaseDn, {
        scope: 'one',
        filter,
        attributes,
        paged: { pageSize: PAGE_SIZE },
      }),
    );
    const { searchEntries } = await search.catch((error: unknown) => {
      if (!(error instanceof SizeLimitExceededError)) throw error;
      throw new Error(
        `the directory cut the listing of ${this.config.userBaseDn} short (size limit); allow ` +
          `${this.config.bindDn} unlimited searches, e.g. slapd: limits dn.exact="${this.config.bindDn}" size=unlimited`,
        { cause: error },
      );
    });
    return searchEntries;
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  private async read(dn: string): Promise<Entry | undefined> {
    try {
      const { searchEntries } = await this.session.use((client) =>
        client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: READ_ATTRIBUTES }),
      );
      return searchEntries[0];
    } catch (error) {
      if (error instanceof NoSuchObjectError) return undefined;
      throw error;
    }
  }
}
