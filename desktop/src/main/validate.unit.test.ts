import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidPayloadError, parseHiveId, parseHiveInput, parseHiveUrl } from './validate.js';

test('a well-formed hive is accepted, trimmed and its url normalised', () => {
  assert.deepEqual(parseHiveInput({ name: ' Office ', url: 'https://hive.example.com/', token: 'abc.def' }), {
    name: 'Office',
    url: 'https://hive.example.com',
    token: 'abc.def',
  });
  assert.deepEqual(parseHiveInput({ id: 'a1-b2', name: 'Lab', url: 'http://10.0.0.5:4000' }), {
    id: 'a1-b2',
    name: 'Lab',
    url: 'http://10.0.0.5:4000',
  });
});

test('payloads of the wrong shape are refused with a reason', () => {
  const bad: unknown[] = [
    null,
    'hive',
    [],
    { name: 'x' },
    { name: '', url: 'https://a.example' },
    { name: 'x', url: 'file:///etc/passwd' },
    { name: 'x', url: 'javascript:alert(1)' },
    { name: 'x', url: 'https://user:pw@a.example' },
    { name: 'x', url: 'https://a.example/?q=1' },
    { name: 'x', url: 'https://a.example', token: 'two words' },
    { name: 'x', url: 'https://a.example', token: 42 },
    { name: 'x', url: 'https://a.example', admin: true },
    { id: '../etc', name: 'x', url: 'https://a.example' },
  ];
  for (const payload of bad) {
    assert.throws(() => parseHiveInput(payload), InvalidPayloadError, JSON.stringify(payload));
  }
});

test('ids and urls are checked on their own too', () => {
  assert.equal(parseHiveId('0f3c-AB_9'), '0f3c-AB_9');
  assert.throws(() => parseHiveId(''), InvalidPayloadError);
  assert.throws(() => parseHiveId({ id: 'x' }), InvalidPayloadError);
  assert.throws(() => parseHiveUrl('ftp://a.example'), /http or https/);
});

test('a hive input may carry the notification switch, only as true or false', () => {
  assert.deepEqual(parseHiveInput({ id: 'a1', name: 'Lab', url: 'https://lab.example', notify: false }), {
    id: 'a1',
    name: 'Lab',
    url: 'https://lab.example',
    notify: false,
  });
  assert.throws(
    () => parseHiveInput({ name: 'Lab', url: 'https://lab.example', notify: 'off' }),
    InvalidPayloadError,
  );
});
