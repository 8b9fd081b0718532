import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipcChannels } from '../shared/api.js';
import { HiveStore } from './hive-store.js';
import { registerIpc, type InvokeEvent, type IpcRegistry } from './ipc-handlers.js';

const root = 'file:///app/dist/renderer/';

function setUp(): Map<string, (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>> {
  let contents: string | null = null;
  const store = new HiveStore(
    { read: async () => contents, write: async (text) => void (contents = text) },
    { encrypt: (plain) => Buffer.from(plain), decrypt: (encrypted) => encrypted.toString() },
    () => 'h1',
  );
  const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  const ipc: IpcRegistry = { handle: (channel, listener) => void handlers.set(channel, listener) };
  registerIpc(ipc, store, root);
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
