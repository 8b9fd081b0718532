import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fingerprintOfBlob, isValidFingerprint, parsePublicKey } from './ssh-key.parser.js';
import {
  KEYGEN_LABELS,
  generateKey,
  keygenList,
  skEcdsaBlob,
  skEd25519Blob,
  keyLine,
} from './ssh-key.test-support.js';

const GENERATED: { name: string; args: string[]; type: string; bits: number }[] = [
  { name: 'ed25519', args: ['-t', 'ed25519'], type: 'ssh-ed25519', bits: 256 },
  { name: 'ecdsa256', args: ['-t', 'ecdsa', '-b', '256'], type: 'ecdsa-sha2-nistp256', bits: 256 },
  { name: 'ecdsa384', args: ['-t', 'ecdsa', '-b', '384'], type: 'ecdsa-sha2-nistp384', bits: 384 },
  { name: 'ecdsa521', args: ['-t', 'ecdsa', '-b', '521'], type: 'ecdsa-sha2-nistp521', bits: 521 },
  { name: 'rsa2048', args: ['-t', 'rsa', '-b', '2048'], type: 'ssh-rsa', bits: 2048 },
  { name: 'rsa3072', args: ['-t', 'rsa', '-b', '3072'], type: 'ssh-rsa', bits: 3072 },
  { name: 'rsa4096', args: ['-t', 'rsa', '-b', '4096'], type: 'ssh-rsa', bits: 4096 },
];

describe('parsePublicKey agrees with ssh-keygen -lf', () => {
  let dir = '';
  const pub = new Map<string, string>();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sshkey-parser-'));
    await Promise.all(
      GENERATED.map(async (k) =>
        pub.set(k.name, await generateKey(dir, k.name, k.args, `${k.name}@host "x" \\y`)),
      ),
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const k of GENERATED) {
    it(`reads a generated ${k.name} key`, async () => {
      const text = pub.get(k.name) ?? '';
      const [listing] = await keygenList(dir, `${k.name}.check`, [text.trimEnd()]);
      assert.ok(listing, 'ssh-keygen lists the key');
      const parsed = parsePublicKey(text);
      assert.equal(parsed.type, k.type);
      assert.equal(KEYGEN_LABELS[parsed.type], listing.label);
      assert.equal(parsed.bits, k.bits);
      assert.equal(parsed.bits, listing.bits);
      assert.equal(parsed.fingerprint, listing.fingerprint);
      assert.equal(parsed.comment, listing.comment);
      assert.equal(parsed.comment, `${k.name}@host "x" \\y`);
      const [typeWord, data] = text.split(' ');
      assert.equal(parsed.base64, data);
      assert.equal(parsed.authorizedKeysEntry, `${typeWord} ${data}`);
      assert.ok(isValidFingerprint(parsed.fingerprint));
      assert.equal(fingerprintOfBlob(Buffer.from(parsed.base64, 'base64')), parsed.fingerprint);
    });
  }

  it('reads hand-built FIDO keys (sk-ssh-ed25519, sk-ecdsa-sha2-nistp256) like ssh-keygen', async () => {
    const lines = [
      keyLine('sk-ssh-ed25519@openssh.com', skEd25519Blob(), 'yubikey-ed'),
      keyLine('sk-ecdsa-sha2-nistp256@openssh.com', skEcdsaBlob('ssh:borg'), 'yubikey-ec'),
      keyLine('sk-ssh-ed25519@openssh.com', skEd25519Blob('https://example.org'), 'webauthn-style'),
    ];
    const listings = await keygenList(dir, 'fido.pub', lines);
    assert.equal(listings.length, lines.length, 'ssh-keygen reads every hand-built key');
    lines.forEach((line, i) => {
      const parsed = parsePublicKey(line);
      const listing = listings[i];
      assert.ok(listing);
      assert.deepEqual(
        {
          bits: parsed.bits,
          fingerprint: parsed.fingerprint,
          comment: parsed.comment,
          label: KEYGEN_LABELS[parsed.type],
        },
        listing,
      );
      assert.equal(parsed.bits, 256);
    });
  });

  it('trims surrounding whitespace and line breaks, keeps inner comment spacing, tolerates tabs', () => {
    const text = pub.get('ed25519') ?? '';
    const [type, data] = text.split(' ');
    const parsed = parsePublicKey(`\r\n  ${type}\t${data}   my  laptop \r\n\n`);
    assert.equal(parsed.comment, 'my  laptop');
    assert.equal(parsed.authorizedKeysEntry, `${type} ${data}`);
    assert.equal(parsePublicKey(`${type} ${data}\n`).comment, null);
    assert.equal(parsePublicKey(`${type} ${data} #tag`).comment, '#tag');
  });
});

describe('fingerprint helpers', () => {
  it('isValidFingerprint takes SHA256 fingerprints as sshd %f gives them, nothing else', () => {
    const fp = fingerprintOfBlob(Buffer.from('any blob'));
    assert.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(isValidFingerprint(fp), true);
    assert.equal(isValidFingerprint('SHA256:bqvSt4fbtMpl+bO/jKFXOGdn0z2ic/RBpAFjF+UWO+c'), true);
    for (const bad of [
      '',
      'SHA256:',
      `${fp}=`,
      fp.slice(0, -1),
      `${fp.slice(0, -1)}B`, // last character would carry non-zero padding bits
      fp.replace('SHA256', 'sha256'),
      'MD5:3f:a8:29:5f:6d:fd:4a:8b:8e:57:25:0e:38:a6:c5:a0',
      `${fp}\n`,
      `SHA256:${'-'.repeat(43)}`,
    ]) {
      assert.equal(isValidFingerprint(bad), false, JSON.stringify(bad));
    }
  });
});
