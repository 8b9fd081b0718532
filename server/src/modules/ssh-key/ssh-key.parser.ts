import { createHash } from 'node:crypto';
import { isSshKeyType, SSH_KEY_TYPES, type SshKeyType } from '@borg-hive/rules';
import { MIN_RSA_BITS, readKeyBlob } from './ssh-key.blob.js';
import { SshKeyFormatError } from './ssh-key.error.js';
import { containsKey, rejectMisplacedInput } from './ssh-key.shapes.js';

export { SshKeyFormatError } from './ssh-key.error.js';

export interface ParsedPublicKey {
  /** OpenSSH key type name, e.g. `ssh-ed25519`, `sk-ecdsa-sha2-nistp256@openssh.com`. */
  type: SshKeyType;
  /** The key data exactly as pasted (it is canonical base64: anything else is rejected). */
  base64: string;
  /** Key size as `ssh-keygen -l` prints it: 256 for (sk-)ed25519, the curve size, RSA modulus bits. */
  bits: number;
  /**
   * Text after the key data, trimmed; null when there is none. Printable ASCII and spaces only.
   * `"` and `\` are allowed: after the key data sshd reads nothing (no quoting applies there), so
   * they are inert in an authorized_keys line. Unlike `ssh-keygen -l`, which shows a comment
   * starting with `#` as "no comment", we keep it as the user wrote it.
   */
  comment: string | null;
  /** `SHA256:<unpadded base64>`, as `ssh-keygen -l` prints it and sshd's `%f` passes it. */
  fingerprint: string;
  /** `<type> <base64>`: the key alone, without comment, ready for an authorized_keys line. */
  authorizedKeysEntry: string;
}

/** Limit on the pasted text in UTF-8 bytes; the largest RSA key OpenSSH takes needs under 3 KiB. */
export const MAX_PUBLIC_KEY_BYTES = 16 * 1024;

const KEY_LINE = /^([^ \t]+)[ \t]+([^ \t]+)(?:[ \t]+(.*))?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]$/;

/**
 * Parses and validates one OpenSSH public key line (`<type> <base64> [comment]`, as in a .pub file).
 * Surrounding whitespace and line breaks are ignored; anything else that is not exactly one
 * supported key throws a SshKeyFormatError whose message tells the user what to fix.
 */
export function parsePublicKey(text: string): ParsedPublicKey {
  if (text.length > MAX_PUBLIC_KEY_BYTES || Buffer.byteLength(text, 'utf8') > MAX_PUBLIC_KEY_BYTES) {
    throw new SshKeyFormatError('the key is larger than 16 KiB');
  }
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  const line = text.slice(start, end);
  if (line === '') throw new SshKeyFormatError('the key is empty');
  rejectMisplacedInput(line, start);

  const match = KEY_LINE.exec(line);
  const type = match?.[1] ?? line;
  if (!isSshKeyType(type)) throw unsupported(type, line);
  const base64 = match?.[2];
  if (base64 === undefined) throw new SshKeyFormatError(`the key data is missing after ${type}`);
  const blob = Buffer.from(base64, 'base64');
  if (base64.length % 4 !== 0 || !BASE64.test(base64) || blob.toString('base64') !== base64) {
    throw new SshKeyFormatError('the key data is not valid base64');
  }
  const bits = readKeyBlob(type, blob);
  const comment = match?.[3] ?? '';
  const tab = comment.indexOf('\t');
  if (tab >= 0) {
    const position = start + line.length - comment.length + tab + 1;
    throw new SshKeyFormatError(`the key contains a control character at position ${position} (U+0009)`);
  }
  if (containsKey(comment)) throw new SshKeyFormatError('only one key per entry');
  return {
    type,
    base64,
    bits,
    comment: comment === '' ? null : comment,
    fingerprint: fingerprintOfBlob(blob),
    authorizedKeysEntry: `${type} ${base64}`,
  };
}

/** The SHA256 fingerprint of a wire-format key blob, as `ssh-keygen -l` and sshd's `%f` show it. */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** True for a well-formed `SHA256:` fingerprint (43 base64 characters encoding 32 bytes). */
export function isValidFingerprint(s: string): boolean {
  return FINGERPRINT.test(s);
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

const OPTION =
  /^(?:agent-forwarding|cert-authority|command|environment|expiry-time|from|no-agent-forwarding|no-port-forwarding|no-pty|no-touch-required|no-user-rc|no-x11-forwarding|permitlisten|permitopen|port-forwarding|principals|pty|restrict|tunnel|user-rc|verify-required|x11-forwarding)(?:[=,]|$)/i;

/** Explains why a line whose first word is not a supported key type was refused. */
function unsupported(first: string, line: string): SshKeyFormatError {
  const words = line.split(/[ \t]+/);
  const later = words.slice(1).find(isSshKeyType);
  if (OPTION.test(first) || (later !== undefined && /[=,"]/.test(first))) {
    return new SshKeyFormatError('key options such as command=... are not allowed; paste only the key');
  }
  if (later !== undefined) {
    const before = line.slice(0, line.indexOf(later)).trimEnd();
    return new SshKeyFormatError(
      `the line must start with the key type; remove ${JSON.stringify(shorten(before))} before ${later}`,
    );
  }
  if (first.endsWith('-cert-v01@openssh.com')) {
    return new SshKeyFormatError('SSH certificates are not supported; paste the plain public key');
  }
  if (/^AAAA[A-Za-z0-9+/]/.test(first)) {
    return new SshKeyFormatError('the key type is missing; the line must start with it, e.g. ssh-ed25519');
  }
  if (/^[a-z][a-z0-9@.-]{0,63}$/i.test(first) && words.length > 1 && /^AAAA/.test(words[1] ?? '')) {
    return new SshKeyFormatError(
      `unsupported key type ${shorten(first)} (supported: ${SSH_KEY_TYPES.join(', ')}; RSA from ${MIN_RSA_BITS} bits)`,
    );
  }
  return new SshKeyFormatError(
    'this is not an SSH public key; expected "<type> <key data> [comment]" as in a .pub file',
  );
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
