import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type RejectCase,
  assertRejected,
  blob,
  generateKey,
  keyLine,
  keygenList,
  p256Point,
  skEd25519Blob,
} from './ssh-key.test-support.js';

const edKey = blob('ssh-ed25519', randomBytes(32));
const ed = keyLine('ssh-ed25519', edKey);
const edData = edKey.toString('base64');
const point = p256Point();
const flipped = Buffer.from(point);
flipped[64] = (flipped[64] ?? 0) ^ 1;
const SK = 'sk-ssh-ed25519@openssh.com';
const skData = skEd25519Blob().toString('base64'); // 74 bytes: ends in one '=' with 2 slack bits
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const slackBitSet = (c: string): string => ALPHABET[ALPHABET.indexOf(c) | 1] ?? '';
let rsa1024 = '';
let rsa2048Data = '';

/** Key lines whose key data is broken or refused by policy. */
const cases: RejectCase[] = [
  { name: 'rsa 1024', text: () => rsa1024, message: 'RSA keys need at least 2048 bits (this one has 1024)' },
  {
    name: 'bad base64 characters',
    text: () => 'ssh-ed25519 AAAA$$$$',
    message: 'the key data is not valid base64',
    keygenRefuses: true,
  },
  {
    name: 'unpadded base64',
    text: () => `${SK} ${skData.replace(/=+$/, '')}`,
    message: 'the key data is not valid base64',
    keygenRefuses: true,
  },
  {
    name: 'padding bits set',
    text: () => `${SK} ${skData.slice(0, -2)}${slackBitSet(skData.slice(-2, -1))}=`,
    message: 'the key data is not valid base64',
    keygenRefuses: true,
  },
  {
    name: 'padding inside',
    text: () => `ssh-ed25519 ${edData.slice(0, 8)}=${edData.slice(9)}`,
    message: 'the key data is not valid base64',
    keygenRefuses: true,
  },
  {
    name: 'type mismatch',
    text: () => `ssh-ed25519 ${rsa2048Data}`,
    message: 'the key data says ssh-rsa but the line says ssh-ed25519',
    keygenRefuses: true,
  },
  {
    name: 'truncated blob',
    text: () => keyLine('ssh-ed25519', edKey.subarray(0, -1)),
    message: 'the key data is truncated (it ends inside the ed25519 public key)',
    keygenRefuses: true,
  },
  {
    name: 'blob cut after the type',
    text: () => keyLine('ssh-ed25519', blob('ssh-ed25519')),
    message: 'the key data is truncated (it ends inside the ed25519 public key)',
    keygenRefuses: true,
  },
  {
    name: 'trailing bytes in the blob',
    text: () => keyLine('ssh-ed25519', Buffer.concat([edKey, Buffer.from([0, 0])])),
    message: 'the key data has 2 unexpected bytes at the end',
    keygenRefuses: true,
  },
  {
    name: 'short ed25519 key',
    text: () => keyLine('ssh-ed25519', blob('ssh-ed25519', randomBytes(31))),
    message: 'an ed25519 public key must be 32 bytes (this one has 31)',
    keygenRefuses: true,
  },
  {
    name: 'ecdsa curve mismatch',
    text: () => keyLine('ecdsa-sha2-nistp256', blob('ecdsa-sha2-nistp256', 'nistp384', point)),
    message: 'the key data names curve nistp384 but the line says ecdsa-sha2-nistp256',
    keygenRefuses: true,
  },
  {
    name: 'ecdsa point off the curve',
    text: () => keyLine('ecdsa-sha2-nistp256', blob('ecdsa-sha2-nistp256', 'nistp256', flipped)),
    message: 'the ECDSA point is not on the nistp256 curve',
    keygenRefuses: true,
  },
  {
    name: 'ecdsa compressed point',
    text: () =>
      keyLine(
        'ecdsa-sha2-nistp256',
        blob(
          'ecdsa-sha2-nistp256',
          'nistp256',
          Buffer.concat([Buffer.from([2 + ((point[64] ?? 0) & 1)]), point.subarray(1, 33)]),
        ),
      ),
    message: 'the ECDSA point is compressed; OpenSSH keys use the uncompressed form',
    keygenRefuses: true,
  },
  {
    name: 'ecdsa point of the wrong size',
    text: () => keyLine('ecdsa-sha2-nistp384', blob('ecdsa-sha2-nistp384', 'nistp384', point)),
    message: 'the ECDSA point must be 97 bytes starting with 0x04 for nistp384 (this one has 65 bytes)',
    keygenRefuses: true,
  },
  {
    name: 'FIDO key without application',
    text: () => keyLine('sk-ssh-ed25519@openssh.com', blob('sk-ssh-ed25519@openssh.com', randomBytes(32))),
    message: 'the key data is truncated (it ends inside the FIDO application)',
    keygenRefuses: true,
  },
  {
    name: 'FIDO key with an empty application',
    text: () => keyLine(SK, skEd25519Blob('')),
    message: 'the FIDO application in the key data is empty or not printable ASCII',
  },
  {
    name: 'FIDO key with a control character in the application',
    text: () => keyLine(SK, skEd25519Blob('ssh:\n')),
    message: 'the FIDO application in the key data is empty or not printable ASCII',
  },
  {
    name: 'garbled type in the blob',
    text: () => keyLine('ssh-ed25519', blob('ssh-ed\u00e925519', randomBytes(32))),
    message: 'the key data says something garbled but the line says ssh-ed25519',
    keygenRefuses: true,
  },
  {
    name: 'RSA with a negative modulus',
    text: () =>
      keyLine(
        'ssh-rsa',
        blob('ssh-rsa', Buffer.from([1, 0, 1]), Buffer.concat([Buffer.from([0x80]), randomBytes(255)])),
      ),
    message: 'the key data holds a negative number as the RSA modulus',
    keygenRefuses: true,
  },
  {
    name: 'RSA with an even exponent',
    text: () =>
      keyLine(
        'ssh-rsa',
        blob(
          'ssh-rsa',
          Buffer.from([1, 0, 0]),
          Buffer.concat([Buffer.from([0x40]), randomBytes(255), Buffer.from([1])]),
        ),
      ),
    message: 'the RSA public exponent is invalid',
  },
  {
    name: 'RSA over 16384 bits',
    text: () =>
      keyLine(
        'ssh-rsa',
        blob(
          'ssh-rsa',
          Buffer.from([1, 0, 1]),
          Buffer.concat([Buffer.from([0x40]), randomBytes(2048), Buffer.from([1])]),
        ),
      ),
    message: 'RSA keys may have at most 16384 bits (this one has 16399)',
    keygenRefuses: true,
  },
];

describe('parsePublicKey refuses bad key data, saying why', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sshkey-data-'));
    rsa1024 = await generateKey(dir, 'rsa1024', ['-t', 'rsa', '-b', '1024'], 'old@host');
    rsa2048Data = (await generateKey(dir, 'rsa2048', ['-t', 'rsa', '-b', '2048'], 'x')).split(' ')[1] ?? '';
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const c of cases) it(c.name, () => assertRejected(c));

  it('ssh-keygen refuses the structurally broken ones as well (they are not just our policy)', async () => {
    const broken = cases.filter((c) => c.keygenRefuses === true);
    const lines = [`${ed} control-line`, ...broken.map((c, i) => `${c.text()} broken-${i}`)];
    const listings = await keygenList(dir, 'broken.pub', lines);
    assert.deepEqual(
      listings.map((l) => l.comment),
      ['control-line'],
    );
  });
});
