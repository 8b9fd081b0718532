import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runOk } from './run.js';

export interface ClientKey {
  privateKeyFile: string;
  /** The public key line: "<type> <base64> <comment>" */
  publicKey: string;
  type: string;
  base64: string;
  /** As sshd's %f: SHA256:<43 chars> */
  fingerprint: string;
}

/** Generates a fresh key pair with ssh-keygen in dir. */
export async function makeClientKey(
  dir: string,
  name: string,
  type: 'ed25519' | 'ecdsa' = 'ed25519',
): Promise<ClientKey> {
  const privateKeyFile = join(dir, name);
  await runOk('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', `${name}@test`, '-f', privateKeyFile]);
  const publicKey = (await readFile(`${privateKeyFile}.pub`, 'utf8')).trim();
  const fingerprint = (
    await runOk('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${privateKeyFile}.pub`])
  ).split(' ')[1];
  const [keyType, base64] = publicKey.split(' ');
  return { privateKeyFile, publicKey, type: keyType, base64, fingerprint };
}
