import type { MiddlewareFn } from 'type-graphql';
import { TokenScope } from '../modules/auth/token-scope.js';
import type { Context } from './context.js';
import { ForbiddenError } from './errors.js';

/** Root fields an AGENT token (storage-node agent) may use. */
export const AGENT_FIELDS = new Set(['me', 'reportRepositoryEvents', 'agentRepositories']);

/**
 * Token scopes, checked on every root field of every operation (HTTP and WebSocket alike):
 * READ_ONLY cannot mutate, KEYS_READ can only call authorizedKeys, AGENT only the agent operations.
 */
export const enforceScope: MiddlewareFn<Context> = async ({ context, info }, next): Promise<unknown> => {
  const auth = context.auth;
  if (auth && info.path.prev === undefined) {
    const field = info.fieldName;
    const op = info.operation.operation;
    switch (auth.scope) {
      case TokenScope.FULL:
        break;
      case TokenScope.READ_ONLY:
        if (op === 'mutation' && field !== 'logout') throw new ForbiddenError('this token is READ_ONLY');
        break;
      case TokenScope.KEYS_READ:
        if (field !== 'authorizedKeys') throw new ForbiddenError('a KEYS_READ token may only call authorizedKeys');
        break;
      case TokenScope.AGENT:
        if (!AGENT_FIELDS.has(field)) throw new ForbiddenError('an AGENT token may only report repository events');
        break;
    }
  }
  return next();
};
