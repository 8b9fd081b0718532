import { ChannelDeliveryError, type ChannelContext } from './channel-driver.js';

const EXCERPT_CHARS = 300;

/**
 * One HTTP request to a provider under the context's time budget (connecting, sending and reading
 * the answer). Network failures and timeouts become `ChannelDeliveryError`s naming the provider;
 * any HTTP answer, good or bad, is returned with its body read as text.
 */
export async function httpDeliver(
  ctx: ChannelContext,
  provider: string,
  url: URL,
  init: RequestInit,
): Promise<{ status: number; body: string }> {
  try {
    const response = await ctx.fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') {
      throw new ChannelDeliveryError(`${provider} did not answer within ${ctx.timeoutMs} ms`, null, {
        cause: error,
      });
    }
    throw new ChannelDeliveryError(`${provider} could not be reached`, describeNetworkError(error), {
      cause: error,
    });
  }
}

/** `HTTP <status>: <start of the body>`, for errors where the provider has no structured format. */
export function statusAndExcerpt(status: number, body: string): string {
  const text = body.trim();
  if (text === '') return `HTTP ${status}`;
  const excerpt = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
  return `HTTP ${status}: ${excerpt}`;
}

/** The body parsed as a JSON object, or null when it is something else. */
export function parseJsonObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** `path` below `base`, keeping any path prefix of `base` (`https://host/ntfy` + `x` = `https://host/ntfy/x`). */
export function endpointUrl(base: string, path: string): URL {
  return new URL(path, base.endsWith('/') ? base : `${base}/`);
}

/** fetch reports network errors as "fetch failed" with the useful part (ECONNREFUSED, ENOTFOUND...) in `cause`. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}
