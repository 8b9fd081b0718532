import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestHive, type GraphQLResult, type TestHive } from '../test-support/hive.js';
import { clientAddressOf } from './client-address.js';

function req(peer: string, forwardedFor?: string | string[]): IncomingMessage {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return { socket: { remoteAddress: peer }, headers } as unknown as IncomingMessage;
}

it('without trusted proxies the peer is the client and X-Forwarded-For is ignored', () => {
  const of = clientAddressOf([]);
  assert.equal(of(req('198.51.100.7', '203.0.113.1')), '198.51.100.7');
  assert.equal(of(req('::ffff:127.0.0.1')), '127.0.0.1', 'an IPv4 client of a dual-stack socket');
});

it('believes X-Forwarded-For only from trusted proxies, walking it from the right', () => {
  const of = clientAddressOf(['127.0.0.1/32', '10.0.0.0/8', 'fd00::/8']);
  assert.equal(of(req('198.51.100.7', '203.0.113.1')), '198.51.100.7', 'an untrusted peer: ignored');
  assert.equal(of(req('127.0.0.1', '203.0.113.1')), '203.0.113.1');
  assert.equal(of(req('::ffff:127.0.0.1', '203.0.113.1')), '203.0.113.1');
  assert.equal(
    of(req('127.0.0.1', '6.6.6.6, 203.0.113.1')),
    '203.0.113.1',
    'what the client wrote left of what the proxy saw is not believed',
  );
  assert.equal(of(req('10.0.0.1', '6.6.6.6, 203.0.113.1, 10.0.0.9')), '203.0.113.1', 'a chain of proxies');
  assert.equal(
    of(req('10.0.0.1', ['6.6.6.6', '203.0.113.1, 10.0.0.9'])),
    '203.0.113.1',
    'several header lines',
  );
  assert.equal(of(req('fd00::1', '2001:db8::5')), '2001:db8::5');
  assert.equal(of(req('10.0.0.1', '10.0.0.2')), '10.0.0.2', 'only proxies: the leftmost is the client');
  assert.equal(of(req('127.0.0.1', '203.0.113.1, not-an-address')), '127.0.0.1', 'garbage: the proxy itself');
  assert.equal(of(req('127.0.0.1')), '127.0.0.1', 'a trusted peer without the header is the client');
});

const LOGIN = 'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}';

/** Logs in through the hive as a client behind a proxy at 127.0.0.1 that sends X-Forwarded-For. */
async function loginVia(hive: TestHive, forwardedFor: string, u: string, p: string): Promise<string> {
  const res = await fetch(`${hive.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ query: LOGIN, variables: { u, p } }),
  });
  const r = (await res.json()) as GraphQLResult<{ login: { token: string } }>;
  return r.data?.login.token ? 'ok' : (r.errors?.[0]?.message ?? JSON.stringify(r));
}

async function lockOut(hive: TestHive, forwardedFor: (i: number) => string): Promise<string> {
  let last = '';
  for (let i = 0; i < 10; i++) last = await loginVia(hive, forwardedFor(i), 'ghost', 'wrong-password');
  return last;
}

describe('the login throttle behind a proxy (BORGHIVE_TRUST_PROXY=127.0.0.1)', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive({ env: { BORGHIVE_TRUST_PROXY: '127.0.0.1' } });
    await hive.newUser('dave');
  });
  after(() => hive.dispose());

  it('throttles two clients behind the proxy separately', async () => {
    assert.match(await lockOut(hive, () => '203.0.113.1'), /locked for 15 minute/);
    assert.match(await loginVia(hive, '203.0.113.1', 'dave', 'dave-password'), /try again in 15 minute/);
    assert.equal(await loginVia(hive, '203.0.113.2', 'dave', 'dave-password'), 'ok');
    assert.equal(
      await loginVia(hive, '203.0.113.1, 203.0.113.2', 'dave', 'dave-password'),
      'ok',
      'the client named by the proxy, not the one named by the client',
    );
    assert.match(await loginVia(hive, '203.0.113.2, 203.0.113.1', 'dave', 'dave-password'), /try again/);
  });
});

describe('the login throttle without trusted proxies', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive();
    await hive.newUser('dave');
  });
  after(() => hive.dispose());

  it('ignores X-Forwarded-For: a new made-up address per guess does not escape the lock', async () => {
    assert.match(await lockOut(hive, (i) => `198.51.100.${i}`), /locked for 15 minute/);
    assert.match(await loginVia(hive, '198.51.100.99', 'dave', 'dave-password'), /try again in 15 minute/);
  });
});
