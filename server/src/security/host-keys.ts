import { createHash } from 'node:crypto';

/** A public key as in a `.pub` file or an ssh-keyscan line, without its comment. */
export interface PublicKey {
  type: string;
  base64: string;
}

const KEY_TYPE =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** `<type> <base64> [comment]` → the key, or null when the line is not one public key. */
export function parsePublicKey(line: string): PublicKey | null {
  const [type, base64] = line.trim().split(/\s+/);
  if (!type || !base64 || !KEY_TYPE.test(type) || !BASE64.test(base64)) return null;
  // the blob starts with its own type name: a key pasted under another type is refused
  const blob = Buffer.from(base64, 'base64');
  const nameLength = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (nameLength !== type.length || blob.subarray(4, 4 + nameLength).toString('latin1') !== type) return null;
  return { type, base64 };
}

/** `SHA256:...` exactly as ssh-keygen -l prints it (unpadded base64 of the blob's sha256). */
export function fingerprintOf(key: PublicKey): string {
  const digest = createHash('sha256').update(Buffer.from(key.base64, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

export function keyText(key: PublicKey): string {
  return `${key.type} ${key.base64}`;
}

/** The host part of a known_hosts line: `[host]:port` unless the port is 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function knownHostsLines(host: string, port: number, keys: readonly PublicKey[]): string {
  return keys.map((k) => `${knownHostsName(host, port)} ${keyText(k)}\n`).join('');
}

/** ssh-keyscan output (`host type base64` lines, comments) → the keys, ed25519 first. */
export function parseKeyscan(output: string): PublicKey[] {
  const keys: PublicKey[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const key = parsePublicKey(line.trim().split(/\s+/).slice(1).join(' '));
    if (key) keys.push(key);
  }
  const rank = (k: PublicKey) => (k.type === 'ssh-ed25519' ? 0 : k.type.startsWith('ecdsa') ? 1 : 2);
  return keys.sort((a, b) => rank(a) - rank(b));
}
