export interface JsonAnswer {
  status: number;
  /** The parsed JSON body (a body that is not JSON rejects the call). */
  body: unknown;
}

/**
 * One POST of a JSON body to an address the operator configured (the agent's hive), behind an
 * interface so a unit test answers instead of a server. Addresses a user chooses go through
 * OutboundHttp and its policy instead.
 */
export type PostJson = (
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
) => Promise<JsonAnswer>;

export const fetchJson: PostJson = async (url, headers, body, timeoutMs) => {
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: (await res.json()) as unknown };
};
