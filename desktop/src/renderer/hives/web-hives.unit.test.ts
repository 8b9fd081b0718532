import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseHiveUrl, WebHiveStore, type KeyValueStorage } from './web-hives.js';

class MapStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

test('a token reaches the device storage only when remembered', () => {
  const device = new MapStorage();
  const tab = new MapStorage();
  const store = new WebHiveStore(device, tab);
  store.save({ id: 'a', name: 'A', url: 'https://a.test', token: 'secret-a', remember: false });
  assert.equal(device.map.size, 0);
  assert.match(tab.getItem('borg-hive.hives') ?? '', /secret-a/);
  store.save({ id: 'b', name: 'B', url: 'https://b.test', token: 'secret-b', remember: true });
  assert.match(device.getItem('borg-hive.hives') ?? '', /secret-b/);
  assert.doesNotMatch(device.getItem('borg-hive.hives') ?? '', /secret-a/);
  assert.deepEqual(
    store.list().map(({ id, remember }) => [id, remember]),
    [
      ['b', true],
      ['a', false],
    ],
  );
  // A new tab sees only what was remembered.
  assert.deepEqual(
    new WebHiveStore(device, new MapStorage()).list().map(({ id }) => id),
    ['b'],
  );
});

test('saving again moves a hive between storages; the same URL replaces; remove forgets it everywhere', () => {
  const device = new MapStorage();
  const tab = new MapStorage();
  const store = new WebHiveStore(device, tab);
  store.save({ id: 'a', name: 'A', url: 'https://a.test', token: 't1', remember: true });
  store.save({ id: 'a', name: 'A', url: 'https://a.test', token: 't2', remember: false });
  assert.equal(device.map.size, 0);
  store.save({ id: 'other', name: 'A again', url: 'https://a.test', token: 't3', remember: false });
  assert.deepEqual(
    store.list().map(({ id, token }) => [id, token]),
    [['other', 't3']],
  );
  store.remove('other');
  assert.deepEqual(store.list(), []);
  assert.equal(tab.map.size, 0);
});

test('damaged storage is ignored, URLs are normalised and must be http(s)', () => {
  const device = new MapStorage();
  device.setItem('borg-hive.hives', '{not json');
  assert.deepEqual(new WebHiveStore(device, new MapStorage()).list(), []);
  device.setItem('borg-hive.hives', JSON.stringify([{ id: 1 }, { id: 'x', name: 'X', url: 'u' }]));
  assert.deepEqual(new WebHiveStore(device, new MapStorage()).list(), []);
  assert.equal(normaliseHiveUrl(' https://hive.test:8443/ '), 'https://hive.test:8443');
  assert.equal(normaliseHiveUrl('http://h.test/borg//'), 'http://h.test/borg');
  assert.throws(() => normaliseHiveUrl('file:///etc/passwd'), /http/);
});
