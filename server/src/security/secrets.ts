import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';

/** Bearer tokens: a kind prefix and 32 random bytes; only their sha256 is stored. */
export type TokenKind = 'session' | 'token';
const prefixes: Record<TokenKind, string> = { session: 'bhs_', token: 'bht_' };

export function newBearerToken(kind: TokenKind): string {
  return prefixes[kind] + randomBytes(32).toString('base64url');
}

export function tokenKindOf(token: string): TokenKind | null {
  if (!/^bh[st]_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return token.startsWith(prefixes.session) ? 'session' : 'token';
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash to compare against when the user does not exist, so timing does not tell. */
let dummyHash: Promise<string> | null = null;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
