import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SshKeyFormatError, parsePublicKey } from './ssh-key.parser.js';

const run = promisify(execFile);

/** What `ssh-keygen -lf` printed for one key line. */
export interface KeygenListing {
  bits: number;
  fingerprint: string;
  comment: string;
  label: string;
}

/** ssh-keygen's label for each key type, as it prints it in parentheses. */
export const KEYGEN_LABELS: Readonly<Record<string, string>> = {
  'ssh-ed25519': 'ED25519',
  'ecdsa-sha2-nistp256': 'ECDSA',
  'ecdsa-sha2-nistp384': 'ECDSA',
  'ecdsa-sha2-nistp521': 'ECDSA',
  'ssh-rsa': 'RSA',
  'sk-ssh-ed25519@openssh.com': 'ED25519-SK',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'ECDSA-SK',
};

/** Generates a real key pair with ssh-keygen in `dir` and returns the .pub text. */
export async function generateKey(
  dir: string,
  name: string,
  args: string[],
  comment: string,
): Promise<string> {
  const file = join(dir, name);
  await run('ssh-keygen', ['-q', ...args, '-N', '', '-C', comment, '-f', file]);
  return readFile(`${file}.pub`, 'utf8');
}

/**
 * Runs `ssh-keygen -lf` on `lines` (one file) and returns its listings in order. Lines ssh-keygen
 * cannot read are skipped silently, so give every line a distinct comment to match them up.
 */
export async function keygenList(dir: string, name: string, lines: string[]): Promise<KeygenListing[]> {
  const file = join(dir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  let stdout: string;
  try {
    ({ stdout } = await run('ssh-keygen', ['-lf', file], { maxBuffer: 16 * 1024 * 1024 }));
  } catch {
    return []; // "is not a public key file": nothing in it could be read
  }
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^(\d+) (SHA256:[A-Za-z0-9+/]+) (.*) \(([A-Z0-9-]+)\)$/.exec(l);
      if (m === null) throw new Error(`unexpected ssh-keygen output: ${l}`);
      return { bits: Number(m[1]), fingerprint: m[2] ?? '', comment: m[3] ?? '', label: m[4] ?? '' };
    });
}

/** An SSH wire-format string: uint32 big-endian length, then the bytes. */
export function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

export function blob(...fields: (Buffer | string)[]): Buffer {
  return Buffer.concat(fields.map(sshString));
}

export function keyLine(type: string, data: Buffer, comment?: string): string {
  return comment === undefined
    ? `${type} ${data.toString('base64')}`
    : `${type} ${data.toString('base64')} ${comment}`;
}

/** A fresh uncompressed P-256 public point (0x04 || X || Y), as a FIDO token would hold. */
export function p256Point(): Buffer {
  const ecdh = createECDH('prime256v1');
  return ecdh.generateKeys();
}

/** Hand-built FIDO public key blobs (no hardware token needed for the public half). */
export function skEd25519Blob(application = 'ssh:'): Buffer {
  return blob('sk-ssh-ed25519@openssh.com', randomBytes(32), application);
}

export function skEcdsaBlob(application = 'ssh:'): Buffer {
  return blob('sk-ecdsa-sha2-nistp256@openssh.com', 'nistp256', p256Point(), application);
}

/** A small seeded PRNG (mulberry32), so that mutation tests are reproducible. */
export function seededRandom(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

/** A bad input and the exact message (or pattern) parsePublicKey must refuse it with. */
export interface RejectCase {
  name: string;
  text: () => string;
  message: string | RegExp;
  /** ssh-keygen -lf must refuse it too: a structural fault, not a Borg Hive policy. */
  keygenRefuses?: boolean;
}

export function assertRejected(c: RejectCase): void {
  assert.throws(
    () => parsePublicKey(c.text()),
    (e: unknown) => {
      assert.ok(e instanceof SshKeyFormatError, `a SshKeyFormatError, got ${String(e)}`);
      if (typeof c.message === 'string') assert.equal(e.message, c.message);
      else assert.match(e.message, c.message);
      return true;
    },
  );
}
