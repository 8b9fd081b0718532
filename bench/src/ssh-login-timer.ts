import { spawn } from 'node:child_process';
import { sshArgs } from '../../e2e/dist/support/remote-client.js';
import type { ClientKey } from '../../e2e/dist/support/ssh-keys.js';

export interface LoginTiming {
  /** spawn of ssh until it reports "Authenticated to" (key lookup and signature check done) */
  authMs: number;
  /** spawn of ssh until it exits (the forced command ran and ended) */
  totalMs: number;
}

/** One real `ssh -v user@127.0.0.1 true` with one key; rejects unless it logs in and exits 0. */
export function timeLogin(key: ClientKey, user: string, port: number): Promise<LoginTiming> {
  const started = performance.now();
  let authMs = NaN;
  let stderr = '';
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ssh',
      ['-v', ...sshArgs(key), '-n', '-p', String(port), `${user}@127.0.0.1`, 'true'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (Number.isNaN(authMs) && stderr.includes('Authenticated to ')) authMs = performance.now() - started;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const totalMs = performance.now() - started;
      if (code === 0 && !Number.isNaN(authMs)) resolve({ authMs, totalMs });
      else reject(new Error(`ssh exited ${code}:\n${stderr.split('\n').slice(-8).join('\n')}`));
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
