import type { JsonAnswer, PostJson } from '../../adapters/outbound/post-json.js';

export interface PostedRequest {
  url: string;
  headers: Record<string, string>;
  /** The parsed JSON body. */
  body: { query: string; variables: Record<string, unknown> };
  /** What FakeTime (or any clock the test passes) said when the request was sent. */
  at: number;
}

/**
 * A PostJson that answers from the test's `answer` function (an Error: the server is unreachable) and
 * records every request.
 */
export function scriptedPost(
  answer: (request: PostedRequest) => JsonAnswer | Error,
  now: () => Date = () => new Date(),
): { post: PostJson; requests: PostedRequest[] } {
  const requests: PostedRequest[] = [];
  const post: PostJson = (url, headers, body, _timeoutMs) => {
    const request = {
      url,
      headers,
      body: JSON.parse(body) as PostedRequest['body'],
      at: now().getTime(),
    };
    requests.push(request);
    const result = answer(request);
    return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
  };
  return { post, requests };
}
