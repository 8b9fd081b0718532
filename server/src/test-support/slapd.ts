import { execFile } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const LDAP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../ldap');
const PREFERRED_PORT = 3890;
const PORT_3890_LOCK = path.join(os.tmpdir(), 'borghive-slapd-3890.lock');

export interface TestSlapd {
  url: string;
  port: number;
  /** The rootdn (writes anything, no limits). */
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  dataDir: string;
  /** Stops slapd (SIGTERM) and waits until it is gone; the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

const running = new Set<number>();
let owns3890 = false;
process.once('exit', () => {
  for (const pid of running) process.kill(pid, 'SIGTERM');
  if (owns3890) rmSync(PORT_3890_LOCK, { force: true });
});

/** A throwaway Debian slapd on 127.0.0.1 (port 3890 when free) loaded with ldap/bootstrap.ldif. */
export async function startSlapd(): Promise<TestSlapd> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'borghive-slapd-'));
  let pid: number | undefined;
  let port = 0;
  for (let attempt = 0; pid === undefined; attempt += 1) {
    port = await pickPort(attempt === 0);
    try {
      pid = await launch(port, dataDir);
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
  let current: number | undefined = pid;
  const server: TestSlapd = {
    url: `ldap://127.0.0.1:${port}`,
    port,
    bindDn: 'cn=admin,dc=borghive,dc=local',
    bindPassword: 'admin',
    baseDn: 'dc=borghive,dc=local',
    dataDir,
    async stop() {
      if (current !== undefined) await terminate(current);
      current = undefined;
    },
    async start() {
      if (current === undefined) current = await launch(port, dataDir);
    },
    async dispose() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

async function launch(port: number, dataDir: string): Promise<number> {
  const { stdout } = await run(path.join(LDAP_DIR, 'start-slapd.sh'), [String(port), dataDir], {
    env: { ...process.env, LDAP_ADMIN_PASSWORD: 'admin' },
    timeout: 30_000,
  });
  const pid = Number(stdout.trim().split('\n').pop());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`start-slapd.sh printed no pid: ${stdout}`);
  running.add(pid);
  return pid;
}

async function terminate(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    running.delete(pid);
    return;
  }
  for (let i = 0; i < 200 && alive(pid); i += 1) await new Promise((done) => setTimeout(done, 25));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  running.delete(pid);
}

/** Running, and not a zombie waiting for PID 1 to reap it (slapd daemonizes, so init is its parent). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** 3890 once per machine at a time (a lock file names the owning process), else a free port. */
async function pickPort(tryPreferred: boolean): Promise<number> {
  if (tryPreferred && claim3890() && (await isFree(PREFERRED_PORT))) return PREFERRED_PORT;
  return freePort();
}

function claim3890(): boolean {
  if (owns3890) return false; // another instance of this process has it
  try {
    if (alive(Number(readFileSync(PORT_3890_LOCK, 'utf8')))) return false;
    rmSync(PORT_3890_LOCK, { force: true }); // left by a process that is gone
  } catch {
    // no lock yet
  }
  try {
    const fd = openSync(PORT_3890_LOCK, 'wx');
    writeFileSync(fd, String(process.pid));
    closeSync(fd);
    owns3890 = true;
    return true;
  } catch {
    return false;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
