import {
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  getArgumentValues,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import { redactArguments } from './redact.js';

/** Who called: the caller a request was authenticated as (AuthInfo fits), or null. */
export interface AuditActor {
  userId: number;
  username: string;
  via: string;
}

export interface AuditLine {
  actorId: number | null;
  actorName: string | null;
  via: string | null;
  address: string;
  operation: string;
  target: string | null;
  outcome: string;
  details: string | null;
}

interface ErrorLike {
  readonly path?: readonly (string | number)[] | undefined;
  readonly extensions?: Record<string, unknown> | undefined;
}

/** One executed (or refused) operation as the transports see it. */
export interface AuditedCall {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null | undefined;
  variables: Record<string, unknown>;
  actor: AuditActor | null;
  address: string;
  data: Record<string, unknown> | null | undefined;
  errors: readonly ErrorLike[] | undefined;
  /** A sign-in that names no user (a passkey): the account it turned out to be about, when known. */
  signInSubject?: { userId: number; username: string } | null | undefined;
}

/** Mutations that are sign-ins, recorded as `signIn` events about the account they are for. */
export const SIGN_IN_FIELDS: ReadonlySet<string> = new Set(['login', 'loginWithPasskey']);

export function mutationOf(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | null {
  const op = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  return op?.operation === 'mutation' ? op : null;
}

function codeOf(e: ErrorLike): string {
  const code = e.extensions?.['code'];
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

function text(v: unknown): string | null {
  return typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, 255) : null;
}

/** The object a call is about: an id argument, else the id it answered with, else a user name or name. */
function targetOf(args: Record<string, unknown>, answer: unknown): string | null {
  const byArg = Object.entries(args).find(([k]) => k === 'id' || /Id$/.test(k));
  if (byArg) return text(byArg[1]);
  if (answer && typeof answer === 'object' && 'id' in answer) return text((answer as { id: unknown }).id);
  const input = args['input'];
  const named = input && typeof input === 'object' ? (input as Record<string, unknown>) : args;
  return text(named['username']) ?? text(named['name']);
}

const MAX_DETAILS = 8000;

function detailsOf(args: Record<string, unknown>): string {
  const json = JSON.stringify(redactArguments(args));
  return json.length <= MAX_DETAILS ? json : JSON.stringify({ truncated: true, keys: Object.keys(args) });
}

/** Sign-ins read as events, not as a `login` call: success, failure, a code asked for, lockout. */
function signInOutcome(errors: ErrorLike[]): string {
  const e = errors[0];
  if (!e) return 'OK';
  if (codeOf(e) === 'FORBIDDEN') return 'LOCKED';
  if (codeOf(e) === 'UNAUTHENTICATED')
    return e.extensions?.['otpRequired'] === true ? 'OTP_REQUIRED' : 'FAILED';
  return codeOf(e);
}

/**
 * The audit lines of a call: one per root field of a mutation (queries and subscriptions change
 * nothing and are not recorded), with the field's arguments redacted and the outcome the caller saw.
 */
export function auditLinesOf(call: AuditedCall): AuditLine[] {
  const op = mutationOf(call.document, call.operationName);
  const mutationType = call.schema.getMutationType();
  if (!op || !mutationType) return [];
  const errors = call.errors ?? [];
  const lines: AuditLine[] = [];
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD || sel.name.value === '__typename') continue;
    const node: FieldNode = sel;
    const name = node.name.value;
    const key = node.alias?.value ?? name;
    const def = mutationType.getFields()[name];
    let args: Record<string, unknown> = {};
    try {
      if (def) args = getArgumentValues(def, node, call.variables);
    } catch {
      args = { invalidArguments: true };
    }
    // an error without a path (refused before it ran) is every field's; one with a path is its field's
    const own = errors.filter((e) => !e.path || e.path.length === 0 || e.path[0] === key);
    const signIn = SIGN_IN_FIELDS.has(name);
    const account = signIn ? (text(args['username']) ?? call.signInSubject?.username ?? null) : null;
    lines.push({
      actorId: call.actor?.userId ?? (signIn ? (call.signInSubject?.userId ?? null) : null),
      actorName: call.actor?.username ?? account,
      via: call.actor?.via ?? null,
      address: call.address.slice(0, 64),
      operation: signIn ? 'signIn' : name,
      target: signIn ? account : targetOf(args, call.data?.[key]),
      outcome: signIn ? signInOutcome(own) : own[0] ? codeOf(own[0]) : 'OK',
      details: detailsOf(args),
    });
  }
  return lines;
}
