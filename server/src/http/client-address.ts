import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** The address of the client behind a request: what the login throttle, rate limits and logs count by. */
export type ClientAddressOf = (req: IncomingMessage) => string;

/** `::ffff:1.2.3.4` (an IPv4 client of a dual-stack socket) is 1.2.3.4. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address.toLowerCase();
}

function forwardedHops(header: string | string[] | undefined): string[] {
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.flatMap((line) => line.split(',')).map((hop) => plain(hop.trim()));
}

/**
 * The one way to tell a request's client (HTTP, WebSocket upgrade, ping). The peer of the socket is the
 * client, unless it is one of `trustedProxies` (BORGHIVE_TRUST_PROXY, `address/prefix`): then
 * X-Forwarded-For is walked from the right, each trusted hop naming the one before it, and the first
 * address that is not a trusted proxy is the client. Entries left of it are whatever the client wrote and
 * are never believed; without trusted proxies the header is ignored altogether.
 */
export function clientAddressOf(trustedProxies: readonly string[]): ClientAddressOf {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address = '', prefix = ''] = entry.split('/');
    trusted.addSubnet(address, Number(prefix), isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  const isTrusted = (address: string): boolean => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (req) => {
    let client = plain(req.socket.remoteAddress ?? 'unknown');
    if (trustedProxies.length === 0) return client;
    for (const hop of forwardedHops(req.headers['x-forwarded-for']).reverse()) {
      if (!isTrusted(client)) break;
      // a trusted proxy that forwards something other than an address: it is the client we know
      if (isIP(hop) === 0) break;
      client = hop;
    }
    return client;
  };
}
