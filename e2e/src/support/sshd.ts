import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshdConfigSource } from './paths.js';
import { runOk } from './run.js';
import { rewriteSshdConfig } from './sshd-config.js';

export { installKeysClient, keysClientTestDir, type InstalledKeysClient } from './keys-client-install.js';
export { rewriteSshdConfig } from './sshd-config.js';

const SSHD = '/usr/sbin/sshd';

export interface SshdOptions {
  /** Port on 127.0.0.1; default 2222 when free, else any free port. */
  port?: number;
  /** Replaces the program of AuthorizedKeysCommand (its %u/%f arguments stay), e.g. installKeysClient().command */
  keysCommand?: string;
  keysCommandUser?: string;
  /** Use a plain AuthorizedKeysFile (e.g. "/root-owned/dir/%u") instead of the command. */
  authorizedKeysFile?: string;
  /** Config to start from; default the project's sshd/sshd_config. */
  configFile?: string;
  /** Program and arguments that run sshd, e.g. ['nsenter', '--mount=/proc/<pid>/ns/mnt', '--']. */
  launcher?: readonly string[];
}

export interface RunningSshd {
  port: number;
  /** Its host key's public half (a .pub file): what clients must pin. */
  hostKeyFile: string;
  /** sshd's own log (-E); LogLevel VERBOSE shows key fingerprints and forced commands. Removed by stop(). */
  logFile: string;
  readLog(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a throwaway OpenSSH sshd (foreground, -D) on 127.0.0.1 from the project's config. Needs root. */
export async function startSshd(options: SshdOptions): Promise<RunningSshd> {
  const dir = await mkdtemp(join(tmpdir(), 'borg-hive-sshd-'));
  try {
    const hostKey = join(dir, 'host_ed25519');
    await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    const source = await readFile(options.configFile ?? sshdConfigSource, 'utf8');
    for (let attempt = 0; ; attempt++) {
      const port = options.port ?? (attempt === 0 && (await isFree(2222)) ? 2222 : await freePort());
      const config = join(dir, 'sshd_config');
      const logFile = join(dir, `sshd-${port}.log`);
      const settings = { port, hostKey, pidFile: join(dir, 'sshd.pid'), ...options };
      await writeFile(config, rewriteSshdConfig(source, settings));
      const [program = SSHD, ...prefix] = [...(options.launcher ?? []), SSHD];
      await runOk(program, [...prefix, '-t', '-f', config]);
      const child = spawn(program, [...prefix, '-D', '-f', config, '-E', logFile], { stdio: 'ignore' });
      if (await listening(child, port)) {
        return {
          port,
          hostKeyFile: `${hostKey}.pub`,
          logFile,
          readLog: () => readFile(logFile, 'utf8'),
          stop: () => stop(child, dir),
        };
      }
      const log = await readFile(logFile, 'utf8').catch(() => '');
      if (options.port !== undefined || attempt >= 3 || !/Bind to port|Address already in use/.test(log)) {
        throw new Error(`sshd did not start on ${port}: ${log.trim()}`);
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function stop(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
}

/** Waits until the port accepts connections, or resolves false when sshd exits first. */
async function listening(child: ChildProcess, port: number): Promise<boolean> {
  for (let tries = 0; tries < 200; tries++) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if (await canConnect(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGTERM');
  return false;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
