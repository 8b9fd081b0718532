import { SshKeyFormatError } from './ssh-key.error.js';

/** A key type word followed by key data: the start of a (further) key somewhere in the text. */
const KEY_START = /(?:^|[ \t])(?:ssh|ecdsa|sk)-[A-Za-z0-9@.-]+[ \t]+AAAA/;

export function containsKey(text: string): boolean {
  return KEY_START.test(text);
}

/**
 * Refuses, with a message saying what was pasted instead, text that is not a single line of
 * printable ASCII: private keys, PEM and RFC 4716 public keys, several keys, wrapped lines, and
 * control or non-ASCII characters. `offset` is where `line` starts in the text the user gave, so
 * that positions in messages (1-based) point into what they pasted.
 */
export function rejectMisplacedInput(line: string, offset: number): void {
  if (/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(line)) {
    throw new SshKeyFormatError('this is a private key; paste the public key (the .pub file) instead');
  }
  if (line.startsWith('---- BEGIN SSH2 PUBLIC KEY ----')) {
    throw new SshKeyFormatError(
      'this is an RFC 4716 (SSH2) public key; convert it with "ssh-keygen -i -f <file>" and paste the result',
    );
  }
  if (/^-----BEGIN (?:RSA )?PUBLIC KEY-----/.test(line)) {
    throw new SshKeyFormatError(
      'this is a PEM public key; convert it with "ssh-keygen -i -m PKCS8 -f <file>" and paste the result',
    );
  }
  const lineBreak = line.search(/[\r\n]/);
  if (lineBreak >= 0) {
    if (
      containsKey(line.slice(0, lineBreak)) &&
      line
        .slice(lineBreak)
        .split(/[\r\n]+/)
        .some(containsKey)
    ) {
      throw new SshKeyFormatError('only one key per entry');
    }
    throw new SshKeyFormatError(
      `the key must be on a single line (there is a line break at position ${offset + lineBreak + 1})`,
    );
  }
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 0x09) continue; // a separator; a tab inside the comment is refused later
    if (code < 0x20 || code === 0x7f) {
      throw new SshKeyFormatError(
        `the key contains a control character at position ${offset + i + 1} (${unicodeName(code)})`,
      );
    }
    if (code > 0x7e) {
      const point = line.codePointAt(i) ?? code;
      throw new SshKeyFormatError(
        `the key contains a non-ASCII character at position ${offset + i + 1} (${unicodeName(point)})`,
      );
    }
  }
}

function unicodeName(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
