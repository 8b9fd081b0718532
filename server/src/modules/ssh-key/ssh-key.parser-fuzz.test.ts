import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SshKeyFormatError, parsePublicKey, type ParsedPublicKey } from './ssh-key.parser.js';
import {
  generateKey,
  keyLine,
  keygenList,
  seededRandom,
  skEcdsaBlob,
  skEd25519Blob,
} from './ssh-key.test-support.js';

const MUTATIONS_PER_KEY = 80;

/** Corrupts a blob the way a bad paste or a hostile client might: flip, cut, extend, rewrite a length. */
function mutate(blob: Buffer, random: (below: number) => number): Buffer {
  const copy = Buffer.from(blob);
  switch (random(4)) {
    case 0:
      copy[random(copy.length)] ^= 1 + random(255);
      return copy;
    case 1:
      return copy.subarray(0, random(copy.length));
    case 2:
      return Buffer.concat([copy, Buffer.alloc(1 + random(4), random(256))]);
    default: {
      // the length field of the second or third string, where the key material starts
      const first = copy.readUInt32BE(0);
      const at = 4 + first + (random(2) === 0 ? 0 : 4 + copy.readUInt32BE(4 + first));
      if (at + 4 <= copy.length) copy.writeUInt32BE(copy.readUInt32BE(at) + random(5) - 2, at);
      return copy;
    }
  }
}

function tryParse(line: string): ParsedPublicKey | null {
  try {
    return parsePublicKey(line);
  } catch (e) {
    assert.ok(e instanceof SshKeyFormatError, `only SshKeyFormatError escapes, got ${String(e)}`);
    return null;
  }
}

describe('corrupted keys: whatever ssh-keygen refuses, parsePublicKey refuses', () => {
  let dir = '';
  const originals: { type: string; blob: Buffer }[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sshkey-fuzz-'));
    const specs = [
      ['-t', 'ed25519'],
      ['-t', 'ecdsa', '-b', '256'],
      ['-t', 'ecdsa', '-b', '384'],
      ['-t', 'ecdsa', '-b', '521'],
      ['-t', 'rsa', '-b', '2048'],
    ];
    const texts = await Promise.all(specs.map((args, i) => generateKey(dir, `k${i}`, args, 'x')));
    for (const text of texts) {
      const [type = '', data = ''] = text.split(' ');
      originals.push({ type, blob: Buffer.from(data, 'base64') });
    }
    originals.push({ type: 'sk-ssh-ed25519@openssh.com', blob: skEd25519Blob() });
    originals.push({ type: 'sk-ecdsa-sha2-nistp256@openssh.com', blob: skEcdsaBlob() });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it(`agrees on ${MUTATIONS_PER_KEY} corruptions of each key type`, async () => {
    const random = seededRandom(20260818);
    const lines: string[] = [];
    for (const { type, blob } of originals) {
      for (let i = 0; i < MUTATIONS_PER_KEY; i++)
        lines.push(keyLine(type, mutate(blob, random), `m${lines.length}`));
    }
    const keygen = new Map((await keygenList(dir, 'mutated.pub', lines)).map((l) => [l.comment, l]));
    let bothAccept = 0;
    let bothRefuse = 0;
    lines.forEach((line, i) => {
      const ours = tryParse(line);
      const theirs = keygen.get(`m${i}`);
      if (theirs === undefined) {
        assert.equal(ours, null, `ssh-keygen refuses line ${i} but we accept it: ${line}`);
        bothRefuse++;
      } else if (ours !== null) {
        assert.equal(ours.fingerprint, theirs.fingerprint, line);
        assert.equal(ours.bits, theirs.bits, line);
        bothAccept++;
      }
    });
    // Both outcomes must really occur, or the test proves nothing.
    assert.ok(bothRefuse > lines.length / 3, `refused by both: ${bothRefuse}`);
    assert.ok(bothAccept > 10, `accepted by both: ${bothAccept}`);
  });
});
