import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'LIMIT_EXCEEDED'
  | 'RATE_LIMITED'
  | 'TOO_MANY_REQUESTS'
  | 'RESPONSE_TOO_LARGE'
  | 'INTERNAL_SERVER_ERROR';

abstract class CodedError extends GraphQLError {
  abstract readonly code: ErrorCode;
  constructor(message: string, extensions: Record<string, unknown> = {}, code: ErrorCode) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export class UnauthenticatedError extends CodedError {
  readonly code = 'UNAUTHENTICATED';
  constructor(
    message = 'log in first: send Authorization: Bearer <token>',
    extensions: Record<string, unknown> = {},
  ) {
    super(message, extensions, 'UNAUTHENTICATED');
  }
}

export class ForbiddenError extends CodedError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'you may not do this') {
    super(message, {}, 'FORBIDDEN');
  }
}

export class NotFoundError extends CodedError {
  readonly code = 'NOT_FOUND';
  constructor(what: string, id?: string | number) {
    super(id === undefined ? `${what} not found` : `${what} ${id} not found`, {}, 'NOT_FOUND');
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class BadUserInputError extends CodedError {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string, problems: FieldProblem[] = []) {
    super(message, problems.length > 0 ? { problems } : {}, 'BAD_USER_INPUT');
  }

  static fromProblems(problems: FieldProblem[]): BadUserInputError {
    return new BadUserInputError(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  }
}

export class ConflictError extends CodedError {
  readonly code = 'CONFLICT';
  constructor(message: string) {
    super(message, {}, 'CONFLICT');
  }
}

/** The caller has as many of these as it may have (per-user limits); `limit` says how many. */
export class LimitExceededError extends CodedError {
  readonly code = 'LIMIT_EXCEEDED';
  constructor(what: string, limit: number) {
    super(
      `you may have at most ${limit} ${what}; delete one first or ask an admin`,
      { limit },
      'LIMIT_EXCEEDED',
    );
  }
}

/** Too many calls in a short time; `retryAfterSeconds` says when the next one is allowed. */
export class RateLimitedError extends CodedError {
  readonly code = 'RATE_LIMITED';
  constructor(message: string, retryAfterSeconds: number, extensions: Record<string, number> = {}) {
    super(message, { ...extensions, retryAfterSeconds }, 'RATE_LIMITED');
  }
}

/** The caller already runs as many heavy operations as one user may at once; retry when one ends. */
export class TooManyRequestsError extends CodedError {
  readonly code = 'TOO_MANY_REQUESTS';
  constructor(message: string) {
    super(message, { http: { status: 429 } }, 'TOO_MANY_REQUESTS');
  }
}

/** A dependency (directory, mail server) failed; the message is safe and useful to show. */
export class ServiceUnavailableError extends CodedError {
  readonly code = 'INTERNAL_SERVER_ERROR';
  constructor(message: string) {
    super(message, { retryable: true }, 'INTERNAL_SERVER_ERROR');
  }
}

/**
 * The accounts backend (LDAP directory, useradd) failed. Its error names URLs, bind DNs and command
 * lines, so it goes to the log only; the client gets this fixed text and `reason`.
 */
export class AccountBackendError extends CodedError {
  readonly code = 'INTERNAL_SERVER_ERROR';
  static readonly reason = 'ACCOUNT_BACKEND_UNAVAILABLE';
  constructor(what: string) {
    super(
      `${what}: the account backend failed; see the hive's log`,
      { retryable: true, reason: AccountBackendError.reason },
      'INTERNAL_SERVER_ERROR',
    );
  }
}

export function isCodedError(err: unknown): err is CodedError {
  return err instanceof CodedError;
}
