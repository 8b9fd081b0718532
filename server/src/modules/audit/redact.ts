/**
 * What the audit trail keeps of a mutation's arguments: everything but secrets. An argument or input
 * field is secret by its name (at any depth); a value shaped like a hive bearer token is secret wherever
 * it appears; a JSON object of settings keeps its keys only (channel settings hold tokens and URLs with
 * credentials in them, under names no list can foresee).
 */
export const REDACTED = '[redacted]';

const SECRET_NAME =
  /pass(word|phrase)|secret|token|otp|^code$|verifier|recovery|credential|private|cookie|authorization/i;
const OPAQUE_OBJECT = /^settings$/i;
const BEARER = /\bbh[st]_[A-Za-z0-9_-]{20,}/;
const MAX_TEXT = 200;
const MAX_ITEMS = 50;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

function keysOnly(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return REDACTED;
  return Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED]));
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    if (BEARER.test(value)) return REDACTED;
    return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth > 5) return '…';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (isSecretName(k)) out[k] = v === null ? null : REDACTED;
    else if (OPAQUE_OBJECT.test(k)) out[k] = keysOnly(v);
    else out[k] = scrub(v, depth + 1);
  }
  return out;
}

/** A copy of the arguments fit for the audit trail. */
export function redactArguments(args: Record<string, unknown>): Record<string, unknown> {
  return scrub(args, 0) as Record<string, unknown>;
}
