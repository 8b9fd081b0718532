import type { Logger } from 'pino';
import type { AccountsBackend } from './accounts.backend.js';
import { LdapAccountsBackend } from './ldap.backend.js';
import type { LdapAccountsConfig } from './ldap.session.js';
import { LocalAccountsBackend } from './local.backend.js';
import { NoneAccountsBackend } from './none.backend.js';

export type AccountsConfig =
  { kind: 'none' } | { kind: 'local'; repoPath: string } | ({ kind: 'ldap' } & LdapAccountsConfig);

/** The accounts backend named by BORGHIVE_ACCOUNTS (config is parsed and validated in config/). */
export function createAccountsBackend(config: AccountsConfig, logger: Logger): AccountsBackend {
  const log = logger.child({ component: 'accounts', backend: config.kind });
  switch (config.kind) {
    case 'none':
      return new NoneAccountsBackend();
    case 'local':
      return new LocalAccountsBackend({ repoPath: config.repoPath }, log);
    case 'ldap':
      return new LdapAccountsBackend(config, log);
  }
}
