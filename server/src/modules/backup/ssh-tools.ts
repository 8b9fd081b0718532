import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessRunner } from '../../adapters/process/process-runner.js';
import { parseKeyscan, type PublicKey } from '../../security/host-keys.js';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/** ssh-keygen and ssh-keyscan through the process adapter. */
export class SshTools {
  constructor(
    private readonly runner: ProcessRunner,
    private readonly scanTimeoutSeconds = 5,
  ) {}

  /** A fresh ed25519 pair, made in a private temp dir that is removed again. */
  async generateKeyPair(comment: string): Promise<KeyPair> {
    const dir = await mkdtemp(join(tmpdir(), 'bh-key-'));
    try {
      const file = join(dir, 'id');
      const r = await this.runner.run({
        program: 'ssh-keygen',
        args: ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file],
        timeoutMs: 30_000,
      });
      if (r.code !== 0) throw new Error(`ssh-keygen failed: ${r.spawnError ?? r.stderr.trim()}`);
      const [privateKey, publicKey] = await Promise.all([
        readFile(file, 'utf8'),
        readFile(`${file}.pub`, 'utf8'),
      ]);
      return { privateKey, publicKey: publicKey.trim() };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The host keys a host presents; empty when it does not answer on that port. */
  async scanHostKeys(host: string, port: number): Promise<PublicKey[]> {
    const r = await this.runner.run({
      program: 'ssh-keyscan',
      args: [
        '-T',
        String(this.scanTimeoutSeconds),
        '-p',
        String(port),
        '-t',
        'ed25519,ecdsa,rsa',
        '--',
        host,
      ],
      timeoutMs: (this.scanTimeoutSeconds + 5) * 1000,
    });
    return parseKeyscan(r.stdout);
  }
}
