import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const serverMain = path.join(repoRoot, 'server/dist/main.js');
export const rendererIndex = path.join(repoRoot, 'desktop/dist/renderer/index.html');

export interface HiveServer {
  readonly url: string;
  readonly dataDir: string;
  readonly adminPassword: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Starts `server/dist/main.js serve` on a free loopback port with its own data dir; waits until /graphql answers. */
export async function startHiveServer(): Promise<HiveServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hive-e2e-'));
  const port = await freePort();
  const adminPassword = `pw-${process.pid}-${port}`;
  const child: ChildProcess = spawn(process.execPath, [serverMain, 'serve'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      BORGHIVE_DATA_DIR: dataDir,
      BORGHIVE_HOST: '127.0.0.1',
      BORGHIVE_PORT: String(port),
      BORGHIVE_ADMIN_PASSWORD: adminPassword,
      BORGHIVE_WATCH: 'false',
      BORGHIVE_SSH_HOST: 'backup.hive.test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    }).then((response) => response.ok, () => false);
    if (ok) return { url, dataDir, adminPassword, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`hive server did not start:\n${output}`);
}

export function haveBuiltServer(): boolean {
  return existsSync(serverMain);
}
