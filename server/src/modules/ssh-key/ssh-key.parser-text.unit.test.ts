import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { parsePublicKey } from './ssh-key.parser.js';
import { type RejectCase, assertRejected, blob, keyLine } from './ssh-key.test-support.js';

const edKey = blob('ssh-ed25519', randomBytes(32));
const ed = keyLine('ssh-ed25519', edKey);
const edData = edKey.toString('base64');

/** Text that is not one key line: refused before the key data is even decoded. */
const cases: RejectCase[] = [
  { name: 'empty input', text: () => '', message: 'the key is empty' },
  { name: 'only whitespace', text: () => ' \r\n\t\n', message: 'the key is empty' },
  {
    name: 'dsa',
    text: () => keyLine('ssh-dss', blob('ssh-dss', randomBytes(128))),
    message: /^unsupported key type ssh-dss \(supported: ssh-ed25519, .*RSA from 2048 bits\)$/,
  },
  {
    name: 'certificate',
    text: () => keyLine('ssh-ed25519-cert-v01@openssh.com', randomBytes(90)),
    message: 'SSH certificates are not supported; paste the plain public key',
  },
  {
    name: 'options prefix',
    text: () => `command="borg serve",restrict ${ed}`,
    message: 'key options such as command=... are not allowed; paste only the key',
  },
  {
    name: 'option without value',
    text: () => `restrict ${ed} me`,
    message: 'key options such as command=... are not allowed; paste only the key',
  },
  {
    name: 'quoted option with spaces',
    text: () => `from="10.0.0.1, 10.0.0.2" ${ed}`,
    message: 'key options such as command=... are not allowed; paste only the key',
  },
  {
    name: 'a label before the type',
    text: () => `laptop ${ed}`,
    message: 'the line must start with the key type; remove "laptop" before ssh-ed25519',
  },
  { name: 'two keys on two lines', text: () => `${ed} a\n${ed} b\n`, message: 'only one key per entry' },
  { name: 'two keys on one line', text: () => `${ed} a ${ed} b`, message: 'only one key per entry' },
  {
    name: 'newline inside',
    text: () => `ssh-ed25519\n${edData}`,
    message: 'the key must be on a single line (there is a line break at position 12)',
  },
  {
    name: 'wrapped key data',
    text: () => ` ssh-ed25519 ${edData.slice(0, 20)}\r\n${edData.slice(20)}`,
    message: 'the key must be on a single line (there is a line break at position 34)',
  },
  {
    name: 'control character',
    text: () => `${ed} lap\u0007top`,
    message: `the key contains a control character at position ${ed.length + 5} (U+0007)`,
  },
  {
    name: 'DEL character',
    text: () => `${ed}\u007f`,
    message: `the key contains a control character at position ${ed.length + 1} (U+007F)`,
  },
  {
    name: 'tab inside the comment',
    text: () => `${ed}\tmy\tlaptop`,
    message: `the key contains a control character at position ${ed.length + 4} (U+0009)`,
  },
  {
    name: 'non-ASCII comment',
    text: () => `${ed} José`,
    message: `the key contains a non-ASCII character at position ${ed.length + 5} (U+00E9)`,
  },
  {
    name: 'zero-width space in data',
    text: () => `ssh-ed25519 AAAA\u200b${edData.slice(4)}`,
    message: 'the key contains a non-ASCII character at position 17 (U+200B)',
  },
  {
    name: 'over 16 KiB',
    text: () => `${ed} ${'x'.repeat(16 * 1024)}`,
    message: 'the key is larger than 16 KiB',
  },
  {
    name: 'over 16 KiB in UTF-8 only',
    text: () => `${ed} ${'é'.repeat(8 * 1024)}`,
    message: 'the key is larger than 16 KiB',
  },
  { name: 'type only', text: () => 'ssh-ed25519', message: 'the key data is missing after ssh-ed25519' },
  {
    name: 'type missing',
    text: () => `${edData} me@host`,
    message: 'the key type is missing; the line must start with it, e.g. ssh-ed25519',
  },
  {
    name: 'not a key at all',
    text: () => 'hello world',
    message: 'this is not an SSH public key; expected "<type> <key data> [comment]" as in a .pub file',
  },
  {
    name: 'private key',
    text: () =>
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
    message: 'this is a private key; paste the public key (the .pub file) instead',
  },
  {
    name: 'RFC 4716 key',
    text: () => `---- BEGIN SSH2 PUBLIC KEY ----\n${edData}\n---- END SSH2 PUBLIC KEY ----`,
    message: /^this is an RFC 4716 \(SSH2\) public key; convert it with "ssh-keygen -i -f <file>"/,
  },
  {
    name: 'PEM public key',
    text: () => '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----',
    message: /^this is a PEM public key; convert it with "ssh-keygen -i -m PKCS8 -f <file>"/,
  },
];

describe('parsePublicKey refuses text that is not one key line, saying why', () => {
  for (const c of cases) it(c.name, () => assertRejected(c));

  it('accepts exactly 16 KiB, padding included', () => {
    const text = `${ed}${' '.repeat(16 * 1024 - ed.length)}`;
    assert.equal(parsePublicKey(text).authorizedKeysEntry, ed);
  });
});
