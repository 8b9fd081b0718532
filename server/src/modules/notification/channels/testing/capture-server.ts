import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  body: string;
  contentType?: string;
}

export interface CaptureServer {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  requests: CapturedRequest[];
  /** What the server answers next; it answers 200 `{}` until told otherwise. */
  reply(answer: (request: CapturedRequest) => Reply | null): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server on 127.0.0.1 standing in for a provider (Pushover, ntfy, a webhook receiver):
 * records every request and answers what the test asks, or never answers when the reply is null.
 */
export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  let answer: (request: CapturedRequest) => Reply | null = () => ({ status: 200, body: '{}' });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const reply = answer(request);
      if (reply === null) return;
      res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    reply(next) {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
