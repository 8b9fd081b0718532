import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';

const PASS_THROUGH = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'LIMIT_EXCEEDED',
  'RATE_LIMITED',
  'TOO_MANY_REQUESTS',
  'RESPONSE_TOO_LARGE',
]);
const INPUT_PROBLEMS = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Known errors keep their code and message; anything else is logged in full and masked. */
export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PASS_THROUGH.has(code)) {
      const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (typeof code === 'string' && INPUT_PROBLEMS.has(code)) {
      return {
        message: formatted.message,
        locations: formatted.locations,
        extensions: { code: 'BAD_USER_INPUT' },
      };
    }
    const original = unwrapResolverError(error);
    const retryable = formatted.extensions?.retryable === true;
    const reason = formatted.extensions?.reason;
    if (retryable)
      return {
        message: formatted.message,
        path: formatted.path,
        extensions: {
          code: 'INTERNAL_SERVER_ERROR',
          retryable,
          ...(typeof reason === 'string' ? { reason } : {}),
        },
      };
    logger.error({ err: original, path: formatted.path }, 'unexpected error in a GraphQL operation');
    return {
      message: 'internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
