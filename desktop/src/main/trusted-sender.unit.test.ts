import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTrustedSenderUrl } from './trusted-sender.js';

const root = 'file:///opt/Borg%20Hive/resources/app/dist/renderer/';

test('pages of the renderer folder are trusted', () => {
  assert.equal(isTrustedSenderUrl(`${root}index.html`, root), true);
  assert.equal(isTrustedSenderUrl(`${root}graphiql.html?hive=abc#x`, root), true);
});

test('remote pages, other files and lookalike folders are not', () => {
  for (const url of [
    undefined,
    '',
    'https://evil.example/index.html',
    'file:///opt/Borg%20Hive/resources/app/dist/renderer-evil/index.html',
    'file:///opt/Borg%20Hive/resources/app/dist/renderer/../../secrets.html',
    'file:///etc/passwd',
    'file://remote-host/opt/Borg%20Hive/resources/app/dist/renderer/index.html',
    'not a url',
  ]) {
    assert.equal(isTrustedSenderUrl(url, root), false, String(url));
  }
  assert.equal(isTrustedSenderUrl(`${root}index.html`, 'https://evil.example/'), false);
});
