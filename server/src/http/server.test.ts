import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'graphql-ws';
import { codeOf } from '../test-support/factories.js';
import { eventually } from '../test-support/eventually.js';
import { startTestHive, type TestHive } from '../test-support/hive.js';

function portOf(hive: TestHive): number {
  return Number(new URL(hive.url).port);
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A whole HTTP/1.1 exchange on its own socket: what came back before the server closed it. */
async function rawRequest(port: number, request: string): Promise<string> {
  const socket = await openSocket(port);
  return new Promise((resolve) => {
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(got));
    socket.write(request);
  });
}

const GET_HEALTH = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';

describe('HTTP server: slow clients', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive({
      env: { BORGHIVE_HTTP_HEADERS_TIMEOUT_MS: '500', BORGHIVE_HTTP_REQUEST_TIMEOUT_MS: '1000' },
    });
  });
  after(() => hive.dispose());

  it('cuts off a client that sends its headers slowly (slowloris), serving others meanwhile', async () => {
    const slow = await openSocket(portOf(hive));
    let answer = '';
    slow.on('data', (d: Buffer) => (answer += d.toString()));
    slow.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
    slow.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // one header line every 100 ms, for at most 300 lines; the final empty line never comes
    const dripped = (async () => {
      for (let i = 0; i < 300 && !slow.destroyed; i++) {
        slow.write(`X-Slow-${i}: ${'x'.repeat(10)}\r\n`);
        await new Promise((r) => setTimeout(r, 100));
        if (i === 2) {
          const other = await fetch(`${hive.url}/healthz`);
          assert.equal(other.status, 200, 'another client is served while the slow one drips');
        }
      }
      return slow.destroyed ? 'cut off' : 'finished dripping';
    })();
    await closed;
    assert.equal(
      await dripped,
      'cut off',
      'the server closed the slow socket while it was still sending headers',
    );
    assert.doesNotMatch(answer, /HTTP\/1\.1 200/);
  });
});

describe('HTTP server: timeouts spare WebSocket connections', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive({
      env: { BORGHIVE_HTTP_HEADERS_TIMEOUT_MS: '300', BORGHIVE_HTTP_REQUEST_TIMEOUT_MS: '500' },
    });
  });
  after(() => hive.dispose());

  it('keeps a WebSocket open past the request timeout', async () => {
    let closed: number | null = null;
    const client = createClient({
      url: hive.url.replace(/^http/, 'ws') + '/graphql',
      connectionParams: { authorization: `Bearer ${hive.adminToken}` },
      lazy: false,
      retryAttempts: 0,
      on: { closed: (e) => (closed = (e as { code?: number }).code ?? 0) },
    });
    // several request timeouts and timeout checks (every 300 ms here) pass
    await new Promise((r) => setTimeout(r, 2500));
    const got = await new Promise<string>((resolve) =>
      client.subscribe(
        { query: '{ me { username } }' },
        {
          next: (v) => resolve(JSON.stringify(v)),
          error: (e) => resolve(`error ${String(e)}`),
          complete: () => undefined,
        },
      ),
    );
    await client.dispose();
    assert.equal(closed, null);
    assert.equal(got, '{"data":{"me":{"username":"admin"}}}');
  });
});

describe('HTTP server: connection cap', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive({ env: { BORGHIVE_HTTP_MAX_CONNECTIONS: '3' } });
  });
  after(() => hive.dispose());

  it('refuses connections over BORGHIVE_HTTP_MAX_CONNECTIONS and accepts again when one closes', async () => {
    const port = portOf(hive);
    const idle = [await openSocket(port), await openSocket(port), await openSocket(port)];
    for (const s of idle) s.on('error', () => undefined);
    await eventually('the three idle connections are counted', async () => {
      const n = await new Promise<number>((r) => hive.http.server.getConnections((_e, c) => r(c)));
      return n >= 3 ? n : undefined;
    });
    assert.equal(await rawRequest(port, GET_HEALTH), '', 'a fourth connection is closed unanswered');
    idle[0]!.destroy();
    const answer = await eventually('a connection is accepted again', async () => {
      const got = await rawRequest(port, GET_HEALTH);
      return got.startsWith('HTTP/1.1 200') ? got : undefined;
    });
    assert.match(answer, /"ok":true/);
    for (const s of idle) s.destroy();
  });
});

describe('HTTP server: error answers', () => {
  let hive: TestHive;
  let nodeEnv: string | undefined;
  before(async () => {
    nodeEnv = process.env.NODE_ENV;
    delete process.env.NODE_ENV; // the default of `npm start`: express then prints stack traces
    hive = await startTestHive();
  });
  after(async () => {
    await hive.dispose();
    if (nodeEnv !== undefined) process.env.NODE_ENV = nodeEnv;
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${hive.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hive.adminToken}`, ...headers },
      body,
    });

  it('answers malformed, oversized and unroutable requests without a stack trace', async () => {
    const answers = [
      await post('{"query": '),
      await post(JSON.stringify({ query: `{ me { id } } #${'x'.repeat(2 * 2 ** 20)}` })),
      await post('{"query": "{ me { id }'),
      await post(JSON.stringify({ query: 'query A { me { id } }', operationName: 'B' })),
      await post(JSON.stringify({ query: '{ nope }' })),
      await post(JSON.stringify({ query: 'query($n: Int!) { me { id } }', variables: { n: 'x' } })),
      await fetch(`${hive.url}/no-such-route`),
      await fetch(`${hive.url}/no-such-route`, { method: 'POST', body: 'x' }),
      await fetch(`${hive.url}/graphql`, { method: 'PUT', body: '{' }),
    ];
    for (const res of answers) {
      const text = await res.text();
      assert.ok(res.status >= 400 && res.status < 500, `${res.status} ${text.slice(0, 200)}`);
      assert.doesNotMatch(text, /\n\s+at |node_modules|stacktrace|\.js:\d+/i, text.slice(0, 500));
      assert.doesNotMatch(text, /<html/i, 'JSON, not an HTML error page');
    }
    assert.deepEqual(
      answers.map((r) => r.status),
      [400, 413, 400, 400, 400, 400, 404, 404, 400],
    );
  });

  it('answers an unknown operationName with 400 and a clear GraphQL error, not 500', async () => {
    const res = await post(JSON.stringify({ query: 'query A { me { id } }', operationName: 'B' }));
    assert.equal(res.status, 400);
    const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    assert.equal(codeOf(body), 'BAD_USER_INPUT');
    assert.match(body.errors?.[0]?.message ?? '', /no operation named "B"/);
  });

  it('refuses a NUL character in any string argument with BAD_USER_INPUT (400) and changes nothing', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['mutation { login(username: "adm\\u0000in", password: "x") { token } }', {}],
      [
        'mutation($i: UpdateMeInput!) { updateMe(input: $i) { email } }',
        { i: { email: 'a\u0000@example.test' } },
      ],
      [
        'mutation($i: NotificationChannelInput!) { createNotificationChannel(input: $i) { id } }',
        { i: { name: 'n', kind: 'WEBHOOK', settings: { url: 'http://127.0.0.1:9/\u0000' } } },
      ],
    ];
    for (const [query, variables] of cases) {
      const res = await post(JSON.stringify({ query, variables }));
      const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(codeOf(body), 'BAD_USER_INPUT', JSON.stringify(body));
      assert.match(body.errors?.[0]?.message ?? '', /NUL/);
    }
    const me = await hive.gql<{ me: { email: string } }>(hive.adminToken, '{ me { email } }');
    assert.equal(me.data?.me.email, 'admin@localhost');
    const channels = await hive.gql<{ notificationChannels: unknown[] }>(
      hive.adminToken,
      '{ notificationChannels { id } }',
    );
    assert.deepEqual(channels.data?.notificationChannels, []);
  });
});
