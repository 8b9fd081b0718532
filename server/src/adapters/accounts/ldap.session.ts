import { Client, ResultCodeError } from 'ldapts';
import type { Logger } from 'pino';
import { AccountsUnavailableError } from './accounts.backend.js';

export interface LdapAccountsConfig {
  url: string;
  bindDn: string;
  bindPassword: string;
  /** Repo users are `uid=<repo user>,<userBaseDn>`. */
  userBaseDn: string;
  /** Connect and per-operation timeout, so a down directory fails fast (default 3000 ms). */
  timeoutMs?: number;
}

/** LDAP result codes that mean "the server cannot serve you now", not "your request is wrong". */
const TRANSIENT_RESULT_CODES = new Set([51 /* busy */, 52 /* unavailable */]);

/**
 * One lazily bound connection shared by concurrent operations. The first operation connects and
 * binds; after a dropped connection the next one reconnects and binds again (single-flight).
 */
export class LdapSession {
  private client: Client | undefined;
  private opening: Promise<Client> | undefined;

  constructor(
    private readonly config: LdapAccountsConfig,
    private readonly logger: Logger,
  ) {}

  /** Runs one operation; transport failures become {@link AccountsUnavailableError}. */
  async use<T>(operation: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.open();
    try {
      return await operation(client);
    } catch (error) {
      if (!isTransportFailure(error)) throw error;
      this.discard(client);
      throw this.unavailable(error);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.unbind().catch(() => undefined);
  }

  private open(): Promise<Client> {
    if (this.client?.isConnected && this.client.isBound) return Promise.resolve(this.client);
    this.opening ??= this.connect().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async connect(): Promise<Client> {
    if (this.client) this.discard(this.client);
    const timeout = this.config.timeoutMs ?? 3000;
    const client = new Client({ url: this.config.url, connectTimeout: timeout, timeout, autoRebind: true });
    try {
      await client.bind(this.config.bindDn, this.config.bindPassword);
    } catch (error) {
      await client.unbind().catch(() => undefined);
      if (error instanceof ResultCodeError && !TRANSIENT_RESULT_CODES.has(error.code)) {
        throw new AccountsUnavailableError(
          `the directory at ${this.config.url} refused the bind as ${this.config.bindDn}: ${error.message}`,
          { cause: error },
        );
      }
      throw this.unavailable(error);
    }
    this.logger.debug(
      { url: this.config.url, bindDn: this.config.bindDn },
      'bound to the accounts directory',
    );
    this.client = client;
    return client;
  }

  private discard(client: Client): void {
    if (this.client === client) this.client = undefined;
    void client.unbind().catch(() => undefined);
  }

  private unavailable(error: unknown): AccountsUnavailableError {
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn({ url: this.config.url, err: error }, 'accounts directory unreachable');
    return new AccountsUnavailableError(`the directory at ${this.config.url} is unreachable: ${reason}`, {
      cause: error,
    });
  }
}

/** Anything that is not an LDAP result (socket errors, timeouts, closed connections), or busy/unavailable. */
function isTransportFailure(error: unknown): boolean {
  if (error instanceof AccountsUnavailableError) return false;
  if (error instanceof ResultCodeError) return TRANSIENT_RESULT_CODES.has(error.code);
  return true;
}
