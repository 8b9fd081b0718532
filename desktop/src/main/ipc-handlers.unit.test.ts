import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipcChannels, type AttentionReport } from '../shared/api.js';
import { CertificateProblems } from './certificate-problems.js';
import { HiveStore } from './hive-store.js';
import { registerIpc, type InvokeEvent, type IpcRegistry } from './ipc-handlers.js';

const root = 'file:///app/dist/renderer/';

const reports: AttentionReport[] = [];
/** What main's sign-in ports were asked (the real ones are tested against a real hive in e2e). */
const signIns: unknown[][] = [];

function setUp(): Map<string, (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>> {
  let contents: string | null = null;
  const store = new HiveStore(
    { read: async () => contents, write: async (text) => void (contents = text) },
    { encrypt: (plain) => Buffer.from(plain), decrypt: (encrypted) => encrypted.toString() },
    () => 'h1',
  );
  const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  const ipc: IpcRegistry = { handle: (channel, listener) => void handlers.set(channel, listener) };
  let login = false;
  const certificates = new CertificateProblems();
  certificates.record('wss://o.example/graphql', [{ id: 'h1', name: 'Office', url: 'https://o.example' }], {
    error: 'net::ERR_CERT_AUTHORITY_INVALID',
    fingerprint: 'sha256/x',
    at: 1_000,
  });
  const desktop = {
    certificates,
    now: () => 2_000,
    loginItem: { get: () => login, set: (enabled: boolean) => void (login = enabled) },
    attention: async (report: AttentionReport) => void reports.push(report),
    signIn: {
      browser: async (url: string) => {
        signIns.push(['browser', url]);
        if (url.includes('refuses')) throw new Error('sign-in refused: the clocks are off');
        return { token: 'bhs_browser' };
      },
      password: async (url: string, c: { username: string; password: string; otp?: string | undefined }) => {
        signIns.push(['password', url, c]);
        return c.otp === undefined
          ? { otpRequired: true as const, message: 'enter the code of your authenticator app' }
          : { token: 'bhs_password', username: c.username };
      },
    },
  };
  registerIpc(ipc, store, desktop, root);
  return handlers;
}

const app: InvokeEvent = { senderFrame: { url: `${root}index.html` } };

test('every bridge function has a handler that serves the app', async () => {
  const handlers = setUp();
  assert.deepEqual([...handlers.keys()].sort(), Object.values(ipcChannels).sort());
  const call = (name: keyof typeof ipcChannels, ...args: unknown[]) =>
    handlers.get(ipcChannels[name])!(app, ...args);
  assert.deepEqual(await call('saveHive', { name: 'Office', url: 'https://o.example/', token: 't0k' }), {
    id: 'h1',
    name: 'Office',
    url: 'https://o.example',
  });
  assert.equal(await call('getToken', 'h1'), 't0k');
  assert.equal(await call('removeHive', 'h1'), true);
  assert.deepEqual(await call('listHives'), []);
});

test('calls from other frames and malformed payloads are refused', async () => {
  const handlers = setUp();
  const getToken = handlers.get(ipcChannels.getToken)!;
  await assert.rejects(getToken({ senderFrame: { url: 'https://evil.example/' } }, 'h1'), /untrusted sender/);
  await assert.rejects(getToken({ senderFrame: null }, 'h1'), /untrusted sender/);
  await assert.rejects(getToken(app, { id: 'h1' }), /invalid hive id/);
  await assert.rejects(
    handlers.get(ipcChannels.saveHive)!(app, { name: 'x', url: 'file:///etc' }),
    /http or https/,
  );
});

test('the certificate problem of a hive, and start at login: read, set, and refused when malformed', async () => {
  const handlers = setUp();
  const call = (name: keyof typeof ipcChannels, ...args: unknown[]) =>
    handlers.get(ipcChannels[name])!(app, ...args);
  assert.deepEqual(await call('certificateProblem', 'h1'), {
    error: 'net::ERR_CERT_AUTHORITY_INVALID',
    fingerprint: 'sha256/x',
    at: 1_000,
  });
  assert.equal(await call('certificateProblem', 'h2'), null);
  await assert.rejects(call('certificateProblem', '../h1'), /invalid hive id/);
  assert.equal(await call('startAtLogin'), false);
  assert.equal(await call('startAtLogin', true), true);
  assert.equal(await call('startAtLogin'), true);
  await assert.rejects(call('startAtLogin', 'yes'), /expected true, false or nothing/);
  assert.equal(await call('startAtLogin'), true, 'a refused call changes nothing');
});

test('an attention report reaches main only when it has the expected shape', async () => {
  const handlers = setUp();
  const report = (payload: unknown) => handlers.get(ipcChannels.reportAttention)!(app, payload);
  reports.length = 0;
  const good = {
    hiveId: 'h1',
    online: true,
    repositories: [{ id: '1', name: 'nightly', state: 'FAILED', reason: 'exit 2', since: null }],
  };
  await report(good);
  assert.deepEqual(reports, [good]);
  await assert.rejects(report({ ...good, online: 'yes' }), /invalid attention report/);
  await assert.rejects(report({ ...good, repositories: [{ ...good.repositories[0], name: 7 }] }), /invalid/);
  await assert.rejects(report({ ...good, repositories: Array(501).fill(good.repositories[0]) }), /invalid/);
  assert.equal(reports.length, 1, 'nothing malformed got through');
});

test('signing in to a hive: main signs in and keeps the session token; the renderer gets the hive or the OTP question', async () => {
  const handlers = setUp();
  const call = (name: keyof typeof ipcChannels, ...args: unknown[]) =>
    handlers.get(ipcChannels[name])!(app, ...args);
  signIns.length = 0;
  assert.deepEqual(await call('signInWithBrowser', { name: 'Office', url: 'https://o.example/' }), {
    id: 'h1',
    name: 'Office',
    url: 'https://o.example',
  });
  assert.equal(await call('getToken', 'h1'), 'bhs_browser');
  await assert.rejects(
    call('signInWithBrowser', { name: 'Lab', url: 'https://refuses.example' }),
    /the clocks are off/,
  );
  const input = {
    id: 'h1',
    name: 'Office',
    url: 'https://o.example',
    username: 'ann',
    password: ' pass word ',
  };
  assert.deepEqual(await call('signInWithPassword', input), {
    otpRequired: true,
    message: 'enter the code of your authenticator app',
  });
  assert.equal(await call('getToken', 'h1'), 'bhs_browser', 'nothing saved before the second factor');
  assert.deepEqual(await call('signInWithPassword', { ...input, otp: '123456' }), {
    hive: { id: 'h1', name: 'Office', url: 'https://o.example' },
  });
  assert.equal(await call('getToken', 'h1'), 'bhs_password');
  assert.deepEqual(signIns[2], [
    'password',
    'https://o.example',
    { username: 'ann', password: ' pass word ', otp: undefined },
  ]);
  // malformed: refused before any sign-in
  const before = signIns.length;
  await assert.rejects(call('signInWithBrowser', { name: 'x', url: 'file:///etc' }), /http or https/);
  await assert.rejects(
    call('signInWithBrowser', { name: 'x', url: 'https://o.example', token: 't' }),
    /unexpected fields: token/,
  );
  await assert.rejects(call('signInWithPassword', { ...input, password: '' }), /password must be 1 to 1024/);
  await assert.rejects(call('signInWithPassword', { ...input, otp: 5 }), /otp must be a string/);
  assert.equal(signIns.length, before);
});
