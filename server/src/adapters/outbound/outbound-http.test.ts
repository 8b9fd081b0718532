import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  createOutboundHttp,
  OutboundRefusedError,
  OutboundTimeoutError,
  type OutboundRequest,
} from './outbound-http.js';
import { OutboundPolicy } from './outbound-policy.js';

const GET: OutboundRequest = { method: 'GET', headers: {} };

async function listen(
  host: string,
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; port: number; hits: string[]; connections: number }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const listening = { server, port: (server.address() as AddressInfo).port, hits, connections: 0 };
  server.on('connection', () => (listening.connections += 1));
  return listening;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const refused = (error: unknown) => {
  assert.ok(error instanceof OutboundRefusedError, String(error));
  assert.match(error.message, /loopback address, which the hive does not call/);
  return true;
};

describe('outbound HTTP: the address is checked at connect time', () => {
  let target: Awaited<ReturnType<typeof listen>>;
  let other: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    target = await listen('127.0.0.1', (req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { Location: `http://127.0.0.2:${other.port}/stolen` });
        res.end();
      } else if (req.url === '/big') {
        res.writeHead(200);
        res.end('x'.repeat(1024 * 1024));
      } else if (req.url === '/hang') {
        // never answers
      } else {
        res.writeHead(200);
        res.end('internal answer');
      }
    });
    other = await listen('127.0.0.2', (_req, res) => {
      res.writeHead(200);
      res.end('other');
    });
  });
  after(async () => {
    await close(target.server);
    await close(other.server);
  });

  const strict = createOutboundHttp(new OutboundPolicy());

  for (const host of [
    '127.0.0.1',
    '2130706433',
    '0x7f.0.0.1',
    '[::1]',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    'localhost',
  ]) {
    it(`refuses http://${host}:<port>/ without an allow list, sending nothing`, async () => {
      const before = target.hits.length;
      await assert.rejects(
        strict.request(new URL(`http://${host}:${target.port}/probe`), GET, 5000),
        refused,
      );
      assert.equal(target.hits.length, before);
    });
  }

  it("refuses a name that resolves to loopback in the socket's lookup: no connection is opened", async () => {
    const opened = target.connections;
    await assert.rejects(strict.request(new URL(`http://localhost:${target.port}/`), GET, 5000), (error) => {
      assert.ok(error instanceof OutboundRefusedError);
      assert.match(error.message, /^localhost is a loopback address/);
      return true;
    });
    assert.equal(target.connections, opened);
  });

  it('reaches an address an admin allowed, and a host name an admin allowed', async () => {
    const byCidr = createOutboundHttp(
      new OutboundPolicy({ cidrs: [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' }], hosts: [] }),
    );
    assert.deepEqual(await byCidr.request(new URL(`http://127.0.0.1:${target.port}/`), GET, 5000), {
      status: 200,
      body: 'internal answer',
    });
    const byName = createOutboundHttp(new OutboundPolicy({ cidrs: [], hosts: ['localhost'] }));
    const answer = await byName
      .request(new URL(`http://localhost:${target.port}/`), GET, 5000)
      .catch((e: unknown) => e);
    // localhost may resolve to ::1 first where nothing listens; either way it was not refused by the policy
    assert.ok(!(answer instanceof OutboundRefusedError), String(answer));
  });

  it('does not follow a redirect (to a loopback address that is not allowed)', async () => {
    const http = createOutboundHttp(
      new OutboundPolicy({ cidrs: [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' }], hosts: [] }),
    );
    const answer = await http.request(new URL(`http://127.0.0.1:${target.port}/redirect`), GET, 5000);
    assert.equal(answer.status, 302);
    assert.deepEqual(other.hits, []);
    await assert.rejects(http.request(new URL(`http://127.0.0.2:${other.port}/stolen`), GET, 5000), refused);
    assert.deepEqual(other.hits, []);
  });

  it('reads at most maxResponseBytes of an answer and gives up on one that never comes', async () => {
    const http = createOutboundHttp(
      new OutboundPolicy({ cidrs: [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' }], hosts: [] }),
      { maxResponseBytes: 1000 },
    );
    const big = await http.request(new URL(`http://127.0.0.1:${target.port}/big`), GET, 5000);
    assert.equal(big.body.length, 1000);
    await assert.rejects(
      http.request(new URL(`http://127.0.0.1:${target.port}/hang`), GET, 200),
      OutboundTimeoutError,
    );
  });
});
