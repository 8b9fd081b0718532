import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestHive, type TestHive } from '../test-support/hive.js';

let hive: TestHive;
before(async () => {
  hive = await startTestHive();
});
after(async () => {
  await hive.dispose();
});

const post = (origin: string, token: string | null, query: string) =>
  fetch(`${hive.url}/graphql`, {
    method: 'POST',
    headers: {
      origin,
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });

test('a preflight from the desktop app (Origin null) may send Authorization and JSON', async () => {
  const res = await fetch(`${hive.url}/graphql`, {
    method: 'OPTIONS',
    headers: {
      origin: 'null',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.match(res.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
  const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(/,\s*/);
  assert.ok(allowed.includes('authorization') && allowed.includes('content-type'), allowed.join(','));
  assert.equal(res.headers.get('access-control-allow-credentials'), null);
});

test('a cross-origin POST with a bearer token is answered and readable', async () => {
  for (const origin of ['null', 'app://borg-hive', 'https://elsewhere.example']) {
    const res = await post(origin, hive.adminToken, '{ me { username } }');
    assert.equal(res.headers.get('access-control-allow-origin'), '*', origin);
    assert.equal(res.headers.get('access-control-allow-credentials'), null, origin);
    assert.deepEqual(await res.json(), { data: { me: { username: 'admin' } } });
  }
});

test('without the token a cross-origin caller gets nothing but UNAUTHENTICATED', async () => {
  const res = await post('https://elsewhere.example', null, '{ me { username } }');
  const body = (await res.json()) as { data: unknown; errors: { extensions: { code: string } }[] };
  assert.equal(body.errors[0]?.extensions.code, 'UNAUTHENTICATED');
  assert.equal(body.data, null);
});

test('a simple (CSRF-style) cross-origin POST is still refused before any operation runs', async () => {
  const res = await fetch(`${hive.url}/graphql`, {
    method: 'POST',
    headers: { origin: 'https://elsewhere.example', 'content-type': 'text/plain' },
    body: JSON.stringify({ query: 'mutation { login(username: "admin", password: "x") { token } }' }),
  });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { errors: { message: string }[] };
  assert.match(body.errors[0]?.message ?? '', /Cross-Site Request Forgery/);
});

test('only /graphql speaks CORS: the console and other paths do not', async () => {
  for (const path of ['/', '/healthz']) {
    const res = await fetch(`${hive.url}${path}`, { headers: { origin: 'null' } });
    assert.equal(res.headers.get('access-control-allow-origin'), null, path);
  }
});
