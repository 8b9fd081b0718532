import type { AttentionReport, HiveInput, HivePasswordSignInInput, HiveSignInInput } from '../shared/api.js';

/** Thrown for an IPC payload that does not have the expected shape; main answers with the message only. */
export class InvalidPayloadError extends Error {
  override readonly name = 'InvalidPayloadError';
}

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

export function parseHiveId(value: unknown): string {
  if (typeof value !== 'string' || !idPattern.test(value)) throw new InvalidPayloadError('invalid hive id');
  return value;
}

/** A hive URL is http(s) with a host, without credentials, query or fragment; returned without trailing slash. */
export function parseHiveUrl(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) throw new InvalidPayloadError('invalid hive url');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InvalidPayloadError('invalid hive url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidPayloadError('hive url must be http or https');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InvalidPayloadError('hive url must not carry credentials, query or fragment');
  }
  return url.href.replace(/\/+$/, '');
}

function parseText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw new InvalidPayloadError(`${field} must be a string`);
  const text = value.trim();
  if (text.length === 0 || text.length > max)
    throw new InvalidPayloadError(`${field} must be 1-${max} characters`);
  return text;
}

export function parseHiveInput(value: unknown): HiveInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidPayloadError('hive must be an object');
  }
  const record = value as Record<string, unknown>;
  const known = new Set(['id', 'name', 'url', 'token', 'notify']);
  const unknown = Object.keys(record).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new InvalidPayloadError(`unexpected fields: ${unknown.join(', ')}`);
  const token = record.token === undefined ? undefined : parseText(record.token, 'token', 4096);
  if (token !== undefined && /\s/.test(token)) throw new InvalidPayloadError('token must not contain spaces');
  if (record.notify !== undefined && typeof record.notify !== 'boolean')
    throw new InvalidPayloadError('notify must be true or false');
  return {
    ...(record.id === undefined ? {} : { id: parseHiveId(record.id) }),
    name: parseText(record.name, 'name', 100),
    url: parseHiveUrl(record.url),
    ...(token === undefined ? {} : { token }),
    ...(record.notify === undefined ? {} : { notify: record.notify }),
  };
}

function objectOf(value: unknown, what: string, known: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidPayloadError(`${what} must be an object`);
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new InvalidPayloadError(`unexpected fields: ${unknown.join(', ')}`);
  return record;
}

function passwordOf(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024)
    throw new InvalidPayloadError('password must be 1 to 1024 characters');
  return value;
}

/** A hive to sign in to: its name and URL (and id when it is one already saved). */
export function parseSignInInput(value: unknown): HiveSignInInput {
  const record = objectOf(value, 'sign-in', ['id', 'name', 'url']);
  return {
    ...(record.id === undefined ? {} : { id: parseHiveId(record.id) }),
    name: parseText(record.name, 'name', 100),
    url: parseHiveUrl(record.url),
  };
}

/** A password sign-in: the hive, the user name, the password, and the second factor's code when asked. */
export function parsePasswordSignInInput(value: unknown): HivePasswordSignInInput {
  const record = objectOf(value, 'sign-in', ['id', 'name', 'url', 'username', 'password', 'otp']);
  const { username, password, otp, ...hive } = record;
  const code = otp === undefined || otp === '' ? undefined : parseText(otp, 'otp', 64);
  return {
    ...parseSignInInput(hive),
    username: parseText(username, 'username', 255),
    // a password is taken as typed (spaces included)
    password: passwordOf(password),
    ...(code === undefined ? {} : { otp: code }),
  };
}

/** At most this many repositories per report: the tray lists a few, the rest are counted by the renderer. */
export const MAX_REPORTED_REPOSITORIES = 500;

function boundedText(value: unknown, max: number): string {
  if (typeof value !== 'string' || value.length > max)
    throw new InvalidPayloadError('invalid attention report');
  return value;
}

/** A renderer's attention report, checked field by field; anything else is refused whole. */
export function parseAttentionReport(value: unknown): AttentionReport {
  if (typeof value !== 'object' || value === null) throw new InvalidPayloadError('invalid attention report');
  const { hiveId, online, repositories } = value as Record<string, unknown>;
  if (
    typeof online !== 'boolean' ||
    !Array.isArray(repositories) ||
    repositories.length > MAX_REPORTED_REPOSITORIES
  )
    throw new InvalidPayloadError('invalid attention report');
  return {
    hiveId: parseHiveId(hiveId),
    online,
    repositories: repositories.map((item: unknown) => {
      if (typeof item !== 'object' || item === null)
        throw new InvalidPayloadError('invalid attention report');
      const r = item as Record<string, unknown>;
      return {
        id: boundedText(r['id'], 64),
        name: boundedText(r['name'], 200),
        state: boundedText(r['state'], 32),
        reason: boundedText(r['reason'], 1000),
        since: r['since'] === null ? null : boundedText(r['since'], 64),
      };
    }),
  };
}
