import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type StandInHandler = (request: StandInRequest, response: ServerResponse) => void;

export interface StandInApi {
  /** Base URL of the stand-in, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Every request received so far, in order. */
  requests: StandInRequest[];
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 standing in for the hive API in tests. */
export async function startStandInApi(handler: StandInHandler): Promise<StandInApi> {
  const requests: StandInRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: StandInRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a JSON body and the given status. */
export function answerJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** Answers a GraphQL authorizedKeys query with the given lines. */
export function answerKeys(response: ServerResponse, lines: readonly string[]): void {
  answerJson(response, 200, { data: { authorizedKeys: lines } });
}
