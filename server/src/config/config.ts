import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseOutboundAllow } from './outbound-allow.js';
import type { OutboundAllow } from '../adapters/outbound/outbound-policy.js';
import { repoPathFrom } from './repo-path.js';
import { type WebAuthnConfig, webAuthnFrom } from './webauthn.js';
import { oidcConfigFrom, type OidcConfig } from './oidc-config.js';

export type { OidcConfig } from './oidc-config.js';

export type AccountsKind = 'none' | 'local' | 'ldap';

export interface LdapConfig {
  url: string;
  bindDn: string;
  bindPassword: string;
  userBaseDn: string;
}

export interface Config {
  dataDir: string;
  database: { dialect: 'sqlite'; url: string } | { dialect: 'mariadb'; url: string };
  repoPath: string;
  /** The programs the forced commands run on the storage node (a name on its PATH or an absolute path). */
  borgCommands: { borg1: string; borg2: string };
  http: {
    host: string;
    port: number;
    publicUrl: string;
    /** Proxies (`address/prefix`) whose X-Forwarded-For is believed; empty: the peer is the client. */
    trustedProxies: string[];
    /** Other hives' origins the web console served here may call (its connect-src); empty: this hive only. */
    consoleHives: string[];
  };
  adminPassword: string | null;
  ssh: { host: string; port: number };
  accounts: AccountsKind;
  repoGid: number;
  redisUrl: string | null;
  /** Prefix of the Redis pub/sub channels (several hives, or test runs, sharing one Redis). */
  redisPrefix: string;
  ldap: LdapConfig | null;
  smtp: { url: string; from: string } | null;
  watch: boolean;
  /**
   * `borg-hive agent`: the hive to report to and its AGENT token; on the hive, how long an agent may stay
   * silent (it calls in every minute) before its location's repositories are UNKNOWN.
   */
  agent: { apiUrl: string | null; apiToken: string | null; awayAfterSeconds: number };
  logLevel: string;
  sessionTtlHours: number;
  /** Seconds between re-reads of every open WebSocket's credential (changes made outside the API). */
  wsRecheckSeconds: number;
  /** Bytes of list answers kept for repeated identical queries (0: no response cache). */
  responseCacheBytes: number;
  webRoot: string | null;
  /** Calls the hive makes for users (webhooks, ntfy, Pushover). */
  outbound: { allow: OutboundAllow; pushoverApiUrl: string };
  /** Channel kinds with an admin-set part: Telegram's Bot API origin, the apprise program. */
  channels: { telegramApiUrl: string; appriseBin: string };
  /** Key of the secrets the hive stores (channel tokens...), created on first start when missing. */
  secretKeyFile: string;
  /** Per-user defaults (an admin may set others per user; admins have none); 0: no limit. */
  limits: LimitsConfig;
  /** Backups the hive starts (pull mode). */
  backup: BackupConfig;
  websocket: WebSocketLimits;
  /** What one request, one user and one connection may cost the server. */
  requestLimits: RequestLimits;
  /** Who must sign in with a second factor (TOTP); until they enrol, their session can only enrol. */
  requireSecondFactor: SecondFactorPolicy;
  /** Days the audit trail keeps an entry (0: for ever). */
  auditRetentionDays: number;
  /** Borg 2: `archives` or more archives deleted within `minutes` is an alert (DELETIONS). */
  deletionAlert: DeletionAlertConfig;
  /** Passkeys: relying party and accepted origins. */
  webauthn: WebAuthnConfig;
  /** Sign-in through an OpenID Connect provider (BORGHIVE_OIDC_*); null: off. */
  oidc: OidcConfig | null;
}

export interface DeletionAlertConfig {
  archives: number;
  minutes: number;
}

export type SecondFactorPolicy = 'none' | 'admins' | 'everyone';
const SECOND_FACTOR_POLICIES: readonly SecondFactorPolicy[] = ['none', 'admins', 'everyone'];
export interface BackupConfig {
  /** The default location's sshd host keys as `.pub` lines (read from BORGHIVE_SSH_HOST_KEYS_FILE at start). */
  sshHostKeys: string[];
  /** PATH of the programs the hive runs (ssh, ssh-agent, ssh-keygen, ssh-keyscan, socat). */
  childPath: string;
}

export interface LimitsConfig {
  repositories: number;
  sshKeys: number;
  channels: number;
  apiTokens: number;
  /** Creations of all four kinds together per user and minute. */
  creationsPerMinute: number;
}

/** Caps on what one WebSocket (and one user) may hold open. */
export interface WebSocketLimits {
  maxSubscriptions: number;
  maxSocketsPerUser: number;
  /** live messages one socket may have waiting to be sent before it is closed as too slow */
  maxQueued: number;
}

/** The default of BORGHIVE_MAX_QUERY_COST (units of graphql/cost.ts). */
export const DEFAULT_MAX_QUERY_COST = 5_000_000;

/** What one request, one user and one connection may cost the server. */
export interface RequestLimits {
  /** Estimated cost (see graphql/cost.ts) above which an operation is refused. */
  maxQueryCost: number;
  /** Operations costing more hold one of the caller's heavy slots while they run. */
  heavyQueryCost: number;
  heavyQueriesPerUser: number;
  /** Serialised GraphQL answers longer than this are replaced by a RESPONSE_TOO_LARGE error. */
  maxResponseBytes: number;
  http: {
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads NAME, or the file named by NAME_FILE (a secret kept out of the environment). */
function reader(env: Env, problems: string[]) {
  return (name: string): string | undefined => {
    const file = env[`${name}_FILE`];
    if (file !== undefined && file !== '') {
      try {
        return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      } catch (err) {
        problems.push(`${name}_FILE: cannot read ${file} (${(err as Error).message})`);
        return undefined;
      }
    }
    const value = env[name];
    return value === '' ? undefined : value;
  };
}

function port(name: string, raw: string | undefined, fallback: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    problems.push(`${name} must be a port number 0..65535, got "${raw}"`);
    return fallback;
  }
  return n;
}

function bool(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name} must be true or false, got "${raw}"`);
  return fallback;
}

/** BORGHIVE_CONSOLE_HIVES: http(s) origins, comma- or space-separated, normalised to scheme://host[:port]. */
function consoleHives(raw: string | undefined, problems: string[]): string[] {
  const origins: string[] = [];
  for (const entry of (raw ?? '').split(/[\s,]+/).filter(Boolean)) {
    const url = URL.canParse(entry) ? new URL(entry) : null;
    if (!url || !/^https?:$/.test(url.protocol) || url.pathname.length > 1 || url.search || url.hash) {
      problems.push(
        `BORGHIVE_CONSOLE_HIVES: "${entry}" is not an http(s) origin (e.g. https://hive2.example.com)`,
      );
    } else origins.push(url.origin);
  }
  return origins;
}

/** BORGHIVE_TRUST_PROXY: addresses or CIDR ranges, comma- or space-separated, as `address/prefix`. */
function trustedProxies(raw: string | undefined, problems: string[]): string[] {
  const entries = (raw ?? '').split(/[\s,]+/).filter((e) => e !== '');
  return entries.flatMap((entry) => {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (family === 0 || extra !== undefined || !(bits >= 0 && bits <= max)) {
      problems.push(`BORGHIVE_TRUST_PROXY: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8)`);
      return [];
    }
    return [`${address.toLowerCase()}/${bits}`];
  });
}

/** A whole number written in digits within `range` (`1e3`, `2.5` and `-1` are refused). */
function count(
  name: string,
  raw: string | undefined,
  range: { fallback: number; min: number; max: number },
  problems: string[],
): number {
  if (raw === undefined) return range.fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < range.min || n > range.max) {
    problems.push(`${name} must be a whole number from ${range.min} to ${range.max}, got "${raw}"`);
    return range.fallback;
  }
  return n;
}

function requestLimitsFrom(get: (name: string) => string | undefined, problems: string[]): RequestLimits {
  const int = (name: string, fallback: number, range: [number, number]) =>
    count(name, get(name), { fallback, min: range[0], max: range[1] }, problems);
  const limits: RequestLimits = {
    maxQueryCost: int('BORGHIVE_MAX_QUERY_COST', DEFAULT_MAX_QUERY_COST, [1, 1e12]),
    heavyQueryCost: int('BORGHIVE_HEAVY_QUERY_COST', 200_000, [1, 1e12]),
    heavyQueriesPerUser: int('BORGHIVE_HEAVY_QUERIES_PER_USER', 2, [1, 1000]),
    maxResponseBytes: int('BORGHIVE_MAX_RESPONSE_BYTES', 32 * 2 ** 20, [1024, 2 ** 30]),
    http: {
      headersTimeoutMs: int('BORGHIVE_HTTP_HEADERS_TIMEOUT_MS', 10_000, [100, 600_000]),
      requestTimeoutMs: int('BORGHIVE_HTTP_REQUEST_TIMEOUT_MS', 120_000, [100, 3_600_000]),
      keepAliveTimeoutMs: int('BORGHIVE_HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, [100, 600_000]),
      maxConnections: int('BORGHIVE_HTTP_MAX_CONNECTIONS', 1000, [1, 1_000_000]),
    },
  };
  if (limits.http.requestTimeoutMs < limits.http.headersTimeoutMs)
    problems.push(
      'BORGHIVE_HTTP_REQUEST_TIMEOUT_MS must not be shorter than BORGHIVE_HTTP_HEADERS_TIMEOUT_MS',
    );
  return limits;
}

function databaseFrom(url: string, problems: string[]): Config['database'] {
  if (url.startsWith('file:') || url === ':memory:') return { dialect: 'sqlite', url };
  if (/^(mariadb|mysql):\/\//.test(url)) {
    try {
      const u = new URL(url);
      if (u.pathname.length <= 1)
        problems.push(
          'BORGHIVE_DATABASE_URL needs a database name, e.g. mariadb://user:pass@host:3306/borghive',
        );
    } catch {
      problems.push('BORGHIVE_DATABASE_URL is not a valid URL');
    }
    return { dialect: 'mariadb', url };
  }
  problems.push(
    `BORGHIVE_DATABASE_URL must start with file: or mariadb://, got "${url.replace(/\/\/.*@/, '//***@')}"`,
  );
  return { dialect: 'sqlite', url: 'file::memory:' };
}

function limitsFrom(get: (name: string) => string | undefined, problems: string[]): LimitsConfig {
  const limit = (suffix: string, fallback: number) =>
    count(
      `BORGHIVE_LIMIT_${suffix}`,
      get(`BORGHIVE_LIMIT_${suffix}`),
      { fallback, min: 0, max: 1_000_000 },
      problems,
    );
  return {
    repositories: limit('REPOSITORIES', 100),
    sshKeys: limit('SSH_KEYS', 100),
    channels: limit('CHANNELS', 20),
    apiTokens: limit('API_TOKENS', 20),
    creationsPerMinute: limit('CREATIONS_PER_MINUTE', 30),
  };
}

/** It goes into command="..." of authorized_keys: no spaces, quotes or shell characters. */
function borgCommand(name: string, value: string, problems: string[]): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.+/-]{0,200}$/.test(value) && !/^\/[A-Za-z0-9_.+/-]{1,200}$/.test(value))
    problems.push(
      `${name} must be a program name or an absolute path (letters, digits, . _ + - /), got "${value}"`,
    );
  return value;
}

/** Parses and validates the whole configuration once; throws ConfigError listing every problem. */
export function loadConfig(
  env: Env = process.env,
  cwd = process.cwd(),
  isRoot = process.getuid?.() === 0,
): Config {
  const problems: string[] = [];
  const get = reader(env, problems);
  const dataDir = resolve(cwd, get('BORGHIVE_DATA_DIR') ?? 'var');
  const database = databaseFrom(get('BORGHIVE_DATABASE_URL') ?? `file:${dataDir}/hive.db`, problems);
  const repoPath = repoPathFrom(get('BORGHIVE_REPO_PATH') ?? `${dataDir}/repos`, cwd, isRoot, problems);
  const borgCommands = {
    borg1: borgCommand('BORGHIVE_BORG1_COMMAND', get('BORGHIVE_BORG1_COMMAND') ?? 'borg', problems),
    borg2: borgCommand('BORGHIVE_BORG2_COMMAND', get('BORGHIVE_BORG2_COMMAND') ?? 'borg2', problems),
  };
  const host = get('BORGHIVE_HOST') ?? '127.0.0.1';
  const httpPort = port('BORGHIVE_PORT', get('BORGHIVE_PORT'), 4000, problems);
  const accounts = (get('BORGHIVE_ACCOUNTS') ?? 'none') as AccountsKind;
  if (!['none', 'local', 'ldap'].includes(accounts)) {
    problems.push(`BORGHIVE_ACCOUNTS must be none, local or ldap, got "${accounts}"`);
  }
  const gidRaw = get('BORGHIVE_REPO_GID') ?? '1000';
  const repoGid = Number(gidRaw);
  if (!Number.isInteger(repoGid) || repoGid < 0 || repoGid > 4294967294) {
    problems.push(`BORGHIVE_REPO_GID must be a group id, got "${gidRaw}"`);
  }
  const ldapUrl = get('BORGHIVE_LDAP_URL');
  let ldap: LdapConfig | null = null;
  if (ldapUrl !== undefined) {
    if (!/^ldaps?:\/\//.test(ldapUrl)) problems.push(`BORGHIVE_LDAP_URL must start with ldap:// or ldaps://`);
    ldap = {
      url: ldapUrl,
      bindDn: get('BORGHIVE_LDAP_BIND_DN') ?? '',
      bindPassword: get('BORGHIVE_LDAP_BIND_PASSWORD') ?? '',
      userBaseDn: get('BORGHIVE_LDAP_USER_BASEDN') ?? 'dc=borghive,dc=local',
    };
    if (ldap.bindDn === '') problems.push('BORGHIVE_LDAP_BIND_DN is required with BORGHIVE_LDAP_URL');
  }
  if (accounts === 'ldap' && ldap === null) problems.push('BORGHIVE_ACCOUNTS=ldap needs BORGHIVE_LDAP_URL');
  const smtpUrl = get('BORGHIVE_SMTP_URL');
  const mailFrom = get('BORGHIVE_MAIL_FROM') ?? 'borg-hive@localhost';
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl))
    problems.push('BORGHIVE_SMTP_URL must start with smtp:// or smtps://');
  const redisUrl = get('BORGHIVE_REDIS_URL') ?? null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl))
    problems.push('BORGHIVE_REDIS_URL must start with redis://');
  const apiUrl = get('BORGHIVE_API_URL') ?? null;
  if (apiUrl !== null && !/^https?:\/\//.test(apiUrl))
    problems.push('BORGHIVE_API_URL must start with http:// or https://');
  const ttlRaw = get('BORGHIVE_SESSION_TTL_HOURS') ?? '168';
  const sessionTtlHours = Number(ttlRaw);
  if (!(sessionTtlHours > 0))
    problems.push(`BORGHIVE_SESSION_TTL_HOURS must be a positive number, got "${ttlRaw}"`);
  const recheckRaw = get('BORGHIVE_WS_RECHECK_SECONDS') ?? '30';
  const wsRecheckSeconds = Number(recheckRaw);
  if (!(Number.isInteger(wsRecheckSeconds) && wsRecheckSeconds >= 1 && wsRecheckSeconds <= 3600))
    problems.push(`BORGHIVE_WS_RECHECK_SECONDS must be a whole number from 1 to 3600, got "${recheckRaw}"`);
  const cacheRaw = get('BORGHIVE_RESPONSE_CACHE_MB') ?? '64';
  const cacheMb = Number(cacheRaw);
  if (!(cacheMb >= 0 && cacheMb <= 4096))
    problems.push(`BORGHIVE_RESPONSE_CACHE_MB must be a number from 0 to 4096, got "${cacheRaw}"`);
  const publicUrl = (
    get('BORGHIVE_PUBLIC_URL') ?? `http://${host.includes(':') ? `[${host}]` : host}:${httpPort}`
  ).replace(/\/$/, '');
  const webRootDefault = resolve(import.meta.dirname, '../../../desktop/dist/renderer');
  const webRoot = get('BORGHIVE_WEB_ROOT') ?? (existsSync(webRootDefault) ? webRootDefault : null);
  const sshPort = port('BORGHIVE_SSH_PORT', get('BORGHIVE_SSH_PORT'), 22, problems);
  const watch = bool('BORGHIVE_WATCH', get('BORGHIVE_WATCH'), true, problems);
  const outboundAllow = parseOutboundAllow(get('BORGHIVE_OUTBOUND_ALLOW'), problems);
  const pushoverApiUrl = get('BORGHIVE_PUSHOVER_API_URL') ?? 'https://api.pushover.net';
  if (!/^https?:\/\/[^/?#]+\/?$/.test(pushoverApiUrl))
    problems.push(`BORGHIVE_PUSHOVER_API_URL must be an http(s) origin such as https://api.pushover.net`);
  const telegramApiUrl = get('BORGHIVE_TELEGRAM_API_URL') ?? 'https://api.telegram.org';
  if (!/^https?:\/\/[^/?#]+\/?$/.test(telegramApiUrl))
    problems.push(`BORGHIVE_TELEGRAM_API_URL must be an http(s) origin such as https://api.telegram.org`);
  const appriseBin = get('BORGHIVE_APPRISE_BIN') ?? 'apprise';
  const proxies = trustedProxies(get('BORGHIVE_TRUST_PROXY'), problems);
  const otherHives = consoleHives(get('BORGHIVE_CONSOLE_HIVES'), problems);
  const limits = limitsFrom(get, problems);
  const websocket: WebSocketLimits = {
    maxSubscriptions: count(
      'BORGHIVE_WS_MAX_SUBSCRIPTIONS',
      get('BORGHIVE_WS_MAX_SUBSCRIPTIONS'),
      { fallback: 100, min: 1, max: 10_000 },
      problems,
    ),
    maxSocketsPerUser: count(
      'BORGHIVE_WS_MAX_SOCKETS_PER_USER',
      get('BORGHIVE_WS_MAX_SOCKETS_PER_USER'),
      { fallback: 20, min: 1, max: 10_000 },
      problems,
    ),
    maxQueued: count(
      'BORGHIVE_WS_MAX_QUEUED',
      get('BORGHIVE_WS_MAX_QUEUED'),
      { fallback: 1000, min: 10, max: 1_000_000 },
      problems,
    ),
  };
  const requestLimits = requestLimitsFrom(get, problems);
  const agentAwayAfterSeconds = count(
    'BORGHIVE_AGENT_AWAY_AFTER_SECONDS',
    get('BORGHIVE_AGENT_AWAY_AFTER_SECONDS'),
    { fallback: 600, min: 120, max: 7 * 86_400 },
    problems,
  );
  const requireSecondFactor = (get('BORGHIVE_REQUIRE_SECOND_FACTOR') ?? 'none') as SecondFactorPolicy;
  if (!SECOND_FACTOR_POLICIES.includes(requireSecondFactor)) {
    problems.push(
      `BORGHIVE_REQUIRE_SECOND_FACTOR must be none, admins or everyone, got "${requireSecondFactor}"`,
    );
  }
  const auditRetentionDays = count(
    'BORGHIVE_AUDIT_RETENTION_DAYS',
    get('BORGHIVE_AUDIT_RETENTION_DAYS'),
    { fallback: 365, min: 0, max: 36_500 },
    problems,
  );
  const deletionAlert: DeletionAlertConfig = {
    archives: count(
      'BORGHIVE_DELETION_ALERT_ARCHIVES',
      get('BORGHIVE_DELETION_ALERT_ARCHIVES'),
      { fallback: 5, min: 1, max: 1_000_000 },
      problems,
    ),
    minutes: count(
      'BORGHIVE_DELETION_ALERT_MINUTES',
      get('BORGHIVE_DELETION_ALERT_MINUTES'),
      { fallback: 60, min: 1, max: 7 * 1440 },
      problems,
    ),
  };
  const webauthn = webAuthnFrom(get, publicUrl, problems);
  const oidc = oidcConfigFrom(get, env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    dataDir,
    database,
    repoPath,
    borgCommands,
    http: { host, port: httpPort, publicUrl, trustedProxies: proxies, consoleHives: otherHives },
    adminPassword: get('BORGHIVE_ADMIN_PASSWORD') ?? null,
    ssh: {
      host: get('BORGHIVE_SSH_HOST') ?? 'localhost',
      port: sshPort,
    },
    accounts,
    repoGid,
    redisUrl,
    redisPrefix: get('BORGHIVE_REDIS_PREFIX') ?? 'borghive:',
    ldap,
    smtp: smtpUrl === undefined ? null : { url: smtpUrl, from: mailFrom },
    watch,
    agent: {
      apiUrl,
      apiToken: get('BORGHIVE_API_TOKEN') ?? null,
      awayAfterSeconds: agentAwayAfterSeconds,
    },
    logLevel: get('BORGHIVE_LOG_LEVEL') ?? 'info',
    sessionTtlHours,
    wsRecheckSeconds,
    responseCacheBytes: Math.round(cacheMb * 2 ** 20),
    webRoot,
    outbound: { allow: outboundAllow, pushoverApiUrl: pushoverApiUrl.replace(/\/$/, '') },
    channels: { telegramApiUrl: telegramApiUrl.replace(/\/$/, ''), appriseBin },
    // a path, not a secret read through <NAME>_FILE: the hive creates the file when it is missing
    secretKeyFile: resolve(cwd, env['BORGHIVE_SECRET_KEY_FILE'] || `${dataDir}/secret.key`),
    limits,
    backup: {
      // read through the <NAME>_FILE convention: BORGHIVE_SSH_HOST_KEYS_FILE names the file
      sshHostKeys: (get('BORGHIVE_SSH_HOST_KEYS') ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#')),
      childPath: env['PATH'] || '/usr/local/bin:/usr/bin:/bin',
    },
    websocket,
    requestLimits,
    requireSecondFactor,
    auditRetentionDays,
    deletionAlert,
    webauthn,
    oidc,
  };
}
