import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { HiveStore, type StoreFile, type TokenCipher } from './hive-store.js';

// Stands in for safeStorage: reversible, and visibly not the plain text.
const cipher: TokenCipher = {
  encrypt: (plain) => Buffer.from(`enc:${[...plain].reverse().join('')}`),
  decrypt: (encrypted) => [...encrypted.toString().slice(4)].reverse().join(''),
};

async function tempFile(t: {
  after(fn: () => Promise<void>): void;
}): Promise<{ file: StoreFile; name: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hive-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const name = path.join(dir, 'hives.json');
  return {
    name,
    file: {
      read: () => readFile(name, 'utf8').catch(() => null),
      write: (contents) => writeFile(name, contents),
    },
  };
}

test('hives round-trip and the token is stored only encrypted', async (t) => {
  const { file, name } = await tempFile(t);
  let n = 0;
  const store = new HiveStore(file, cipher, () => `hive-${++n}`);
  assert.deepEqual(await store.list(), []);
  const office = await store.save({ name: 'Office', url: 'https://office.example', token: 'secret-token' });
  assert.deepEqual(office, { id: 'hive-1', name: 'Office', url: 'https://office.example' });
  await store.save({ name: 'Lab', url: 'http://lab.example:4000' });

  const onDisk = await readFile(name, 'utf8');
  assert.doesNotMatch(onDisk, /secret-token/);
  assert.deepEqual(JSON.parse(onDisk), {
    version: 1,
    hives: [
      {
        id: 'hive-1',
        name: 'Office',
        url: 'https://office.example',
        token: cipher.encrypt('secret-token').toString('base64'),
      },
      { id: 'hive-2', name: 'Lab', url: 'http://lab.example:4000' },
    ],
  });
  assert.equal(await store.token('hive-1'), 'secret-token');
  assert.equal(await store.token('hive-2'), null);
  assert.equal(await store.token('nope'), null);
});

test('editing keeps the token unless a new one is given; removing drops the hive', async (t) => {
  const { file } = await tempFile(t);
  const store = new HiveStore(file, cipher, () => 'h');
  await store.save({ name: 'Office', url: 'https://office.example', token: 'one' });
  await store.save({ id: 'h', name: 'Office 2', url: 'https://office2.example' });
  assert.equal(await store.token('h'), 'one');
  await store.save({ id: 'h', name: 'Office 2', url: 'https://office2.example', token: 'two' });
  assert.equal(await store.token('h'), 'two');
  assert.deepEqual(await store.list(), [{ id: 'h', name: 'Office 2', url: 'https://office2.example' }]);
  await assert.rejects(store.save({ id: 'other', name: 'x', url: 'https://x.example' }), /unknown hive/);
  assert.equal(await store.remove('h'), true);
  assert.equal(await store.remove('h'), false);
  assert.deepEqual(await store.list(), []);
});

test('a file in an unknown format is refused rather than overwritten', async (t) => {
  const { file, name } = await tempFile(t);
  await writeFile(name, JSON.stringify({ version: 2, hives: [] }));
  await assert.rejects(new HiveStore(file, cipher).list(), /unknown format/);
});

test('the desktop-notification switch is kept per hive; absent (older files) reads as on', async (t) => {
  const { file, name } = await tempFile(t);
  let n = 0;
  const store = new HiveStore(file, cipher, () => `hive-${++n}`);
  await store.save({ name: 'Office', url: 'https://office.example', token: 'one' });
  const lab = await store.save({ name: 'Lab', url: 'https://lab.example', notify: false });
  assert.deepEqual(lab, { id: 'hive-2', name: 'Lab', url: 'https://lab.example', notify: false });
  assert.deepEqual(
    (await store.list()).map((h) => [h.id, h.notify !== false]),
    [
      ['hive-1', true],
      ['hive-2', false],
    ],
  );
  const onDisk = JSON.parse(await readFile(name, 'utf8')) as { hives: Record<string, unknown>[] };
  assert.equal(onDisk.hives[0]!['notify'], undefined, 'on is not written');
  assert.equal(onDisk.hives[1]!['notify'], false);
  await store.save({ id: 'hive-2', name: 'Lab 2', url: 'https://lab.example' });
  assert.equal((await store.list())[1]!.notify, false, 'an edit without the switch keeps it');
  await store.save({ id: 'hive-2', name: 'Lab 2', url: 'https://lab.example', notify: true });
  assert.equal((await store.list())[1]!.notify, undefined, 'on again');
  assert.equal(await store.token('hive-1'), 'one');
  await writeFile(
    name,
    JSON.stringify({ version: 1, hives: [{ id: 'x', name: 'X', url: 'https://x', notify: 'no' }] }),
  );
  await assert.rejects(store.list(), /unknown format/);
});
