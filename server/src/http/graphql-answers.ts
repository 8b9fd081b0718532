import { GraphQLError } from 'graphql';
import { stringifyResult } from '../graphql/response-cache.js';

/** The serialised answer, or a RESPONSE_TOO_LARGE error instead of one longer than `maxBytes`. */
export function cappedStringify(maxBytes: number) {
  return (result: Parameters<typeof stringifyResult>[0]): string => {
    const text = stringifyResult(result);
    // a UTF-16 unit is 1 to 3 bytes of UTF-8: count the bytes only when the length leaves a doubt
    const bytes = text.length * 3 <= maxBytes ? text.length : Buffer.byteLength(text);
    if (bytes <= maxBytes) return text;
    return JSON.stringify({
      errors: [
        {
          message: `the answer is ${bytes} bytes; at most ${maxBytes} (BORGHIVE_MAX_RESPONSE_BYTES): select fewer fields or items`,
          extensions: { code: 'RESPONSE_TOO_LARGE', bytes, maxBytes },
        },
      ],
    });
  };
}

const STATUS_BY_CODE: Record<string, number> = { BAD_USER_INPUT: 400, FORBIDDEN: 403, UNAUTHENTICATED: 401 };

/** Errors before execution answer 500 unless they name a status: a refusal is the client's 4xx. */
export function withStatus(err: unknown): unknown {
  if (!(err instanceof GraphQLError) || err.extensions.http) return err;
  const status = STATUS_BY_CODE[String(err.extensions.code)];
  if (status === undefined) return err;
  return new GraphQLError(err.message, {
    nodes: err.nodes,
    originalError: err,
    extensions: { ...err.extensions, http: { status } },
  });
}
