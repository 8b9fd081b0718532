import { STATUS_CODES } from 'node:http';
import {
  OutboundRefusedError,
  OutboundTimeoutError,
  type OutboundRequest,
} from '../../../adapters/outbound/outbound-http.js';
import { ChannelDeliveryError, type ChannelContext } from './channel-driver.js';

/**
 * One HTTP request to a provider under the context's time budget and outbound policy. Refused
 * addresses, network failures and timeouts become `ChannelDeliveryError`s naming the provider; any
 * HTTP answer, good or bad, is returned with (the start of) its body read as text.
 */
export async function httpDeliver(
  ctx: ChannelContext,
  provider: string,
  url: URL,
  init: OutboundRequest,
): Promise<{ status: number; body: string }> {
  try {
    return await ctx.http.request(url, init, ctx.timeoutMs);
  } catch (error) {
    if (error instanceof OutboundTimeoutError) {
      throw new ChannelDeliveryError(`${provider} did not answer within ${ctx.timeoutMs} ms`, null, {
        cause: error,
      });
    }
    if (error instanceof OutboundRefusedError) {
      throw new ChannelDeliveryError(`${provider} was not called`, error.message, { cause: error });
    }
    throw new ChannelDeliveryError(`${provider} could not be reached`, networkErrorCode(error), {
      cause: error,
    });
  }
}

/**
 * `HTTP <status> <reason>`: what the hive says about a refused request. The body is left out on
 * purpose: a URL a user chose may point at a service whose answer they must not read through the hive.
 */
export function statusText(status: number): string {
  const reason = STATUS_CODES[status];
  return reason === undefined ? `HTTP ${status}` : `HTTP ${status} ${reason}`;
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

/** The system's error code (ECONNREFUSED, ENOTFOUND, ECONNRESET...), never a text the far end wrote. */
function networkErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'network error';
}
