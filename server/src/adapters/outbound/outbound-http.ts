import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { OutboundPolicy } from './outbound-policy.js';

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  body?: string;
}

export interface OutboundResponse {
  status: number;
  /** At most `maxResponseBytes` of the answer, as UTF-8 text (the rest is not read). */
  body: string;
}

/** One HTTP request to a URL a user chose, under the hive's outbound policy. */
export interface OutboundHttp {
  request(url: URL, init: OutboundRequest, timeoutMs: number): Promise<OutboundResponse>;
}

/** The policy refused the address the request would connect to; nothing was sent. */
export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
}

export class OutboundTimeoutError extends Error {
  override readonly name = 'OutboundTimeoutError';
}

export const MAX_RESPONSE_BYTES = 64 * 1024;

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * HTTP(S) through `node:http` with the address check at connect time: an IP literal is checked before
 * connecting, a host name through the socket's own `lookup` (so the address checked is the address
 * connected, whatever DNS answers next), and the connected socket's peer once more. Redirects are not
 * followed (a 3xx is returned as it is); the whole exchange is bounded by `timeoutMs` and the answer
 * by `maxResponseBytes`.
 */
export function createOutboundHttp(
  policy: OutboundPolicy,
  options: { maxResponseBytes?: number } = {},
): OutboundHttp {
  const maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  return {
    request(url, init, timeoutMs) {
      return new Promise<OutboundResponse>((resolve, reject) => {
        const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
        const trusted = policy.allowsHost(hostname);
        const refused = (address: string): OutboundRefusedError | null => {
          const why = trusted ? null : policy.refusal(address);
          return why === null ? null : new OutboundRefusedError(`${hostname} is ${why}`);
        };
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          reject(new OutboundRefusedError(`${url.protocol} URLs are not called`));
          return;
        }
        if (isIP(hostname) !== 0) {
          const early = refused(hostname);
          if (early) {
            reject(early);
            return;
          }
        }
        const requestOptions: RequestOptions = {
          method: init.method,
          headers: init.headers,
          agent: false,
          lookup: (name: string, opts: LookupOptions, callback: LookupCallback) => {
            dnsLookup(name, { ...opts, all: true }, (err, addresses) => {
              if (err) return callback(err, []);
              const refusal = addresses.map((a) => refused(a.address)).find((r) => r !== null);
              if (refusal) return callback(refusal, []);
              const first = addresses[0];
              if (opts.all === true) callback(null, addresses);
              else if (first) callback(null, first.address, first.family);
              else callback(Object.assign(new Error(`${name} has no address`), { code: 'ENOTFOUND' }), []);
            });
          },
        };
        const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
        const req = send(url, requestOptions);
        const timer = setTimeout(
          () => req.destroy(new OutboundTimeoutError(`no answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const fail = (err: Error) => {
          clearTimeout(timer);
          reject(err);
        };
        req.on('error', fail);
        req.on('socket', (socket: Socket) => {
          socket.once('connect', () => {
            const peer = socket.remoteAddress;
            const late = peer === undefined ? null : refused(peer);
            if (late) req.destroy(late);
          });
        });
        req.on('response', (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const done = () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
          };
          res.on('data', (chunk: Buffer) => {
            if (size >= maxBytes) return;
            chunks.push(chunk.subarray(0, maxBytes - size));
            size += chunk.length;
            if (size >= maxBytes) {
              res.destroy();
              done();
            }
          });
          res.on('end', done);
          res.on('error', fail);
        });
        req.end(init.body);
      });
    },
  };
}
