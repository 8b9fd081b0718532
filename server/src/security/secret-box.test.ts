import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSecretBox, SecretBoxError } from './secret-box.js';
import { loadOrCreateSecretKey } from './secret-key-file.js';

describe('secret box', () => {
  const box = createSecretBox(randomBytes(32));

  it('seals with a version prefix, never the same twice, and opens again', () => {
    const a = box.seal('pushover-token');
    const b = box.seal('pushover-token');
    assert.match(a, /^bh1:[A-Za-z0-9_-]+$/);
    assert.notEqual(a, b);
    assert.ok(!a.includes('pushover-token'));
    assert.equal(box.open(a), 'pushover-token');
    assert.equal(box.isSealed(a), true);
  });

  it('passes values stored before encryption through', () => {
    assert.equal(box.open('{"token":"old"}'), '{"token":"old"}');
    assert.equal(box.isSealed('{"token":"old"}'), false);
  });

  it('refuses an altered value and another key', () => {
    const sealed = box.seal('secret');
    // a character inside the payload: its six bits are all data (the last one may carry padding bits only)
    const at = 12;
    const altered = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
    assert.throws(() => box.open(altered), SecretBoxError);
    assert.throws(() => createSecretBox(randomBytes(32)).open(sealed), /does not open with this key/);
    assert.throws(() => box.open('bh1:AAAA'), /truncated/);
    assert.throws(() => createSecretBox(randomBytes(16)), /32 bytes/);
  });
});

describe('secret key file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bh-key-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is created on first start with mode 0600 and 32 random bytes, then reused', () => {
    const path = join(dir, 'nested', 'secret.key');
    const first = loadOrCreateSecretKey(path);
    assert.equal(first.created, true);
    assert.equal(first.key.length, 32);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64').length, 32);
    const second = loadOrCreateSecretKey(path);
    assert.equal(second.created, false);
    assert.deepEqual(second.key, first.key);
  });

  it('accepts 32 raw bytes and refuses anything else', () => {
    const raw = join(dir, 'raw.key');
    const key = randomBytes(32);
    writeFileSync(raw, key);
    assert.deepEqual(loadOrCreateSecretKey(raw).key, key);
    const short = join(dir, 'short.key');
    writeFileSync(short, 'c2hvcnQ=\n');
    assert.throws(() => loadOrCreateSecretKey(short), /must hold 32 random bytes/);
  });
});
