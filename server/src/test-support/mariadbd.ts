import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createConnection, type Connection } from 'mysql2/promise';

const run = promisify(execFile);

export interface ThrowawayMariadb {
  /** `mariadb://root@127.0.0.1:<port>`: root, no password; append `/<database>` for a hive. */
  rootUrl: string;
  port: number;
  /** Runs SQL as root (on a connection of its own); returns the rows. */
  query(sql: string): Promise<unknown>;
  /** A fresh empty database on this server; its `mariadb://` URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and deletes its data directory. */
  dispose(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * A MariaDB server of its own (Debian's mariadbd, own data directory, socket and free loopback port), for
 * tests that must change server-wide settings, which the shared MariaDB at 127.0.0.1:3306 must never get:
 * e.g. `startThrowawayMariadb(['--sql-mode=NO_BACKSLASH_ESCAPES'])`. dispose() stops it and deletes
 * everything; a process that exits without dispose() kills it.
 */
export async function startThrowawayMariadb(serverArgs: string[] = []): Promise<ThrowawayMariadb> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bh-mariadbd-'));
  let child: ChildProcess | undefined;
  try {
    await run(
      'mariadb-install-db',
      [
        '--no-defaults',
        '--user=root',
        `--datadir=${dir}/data`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { timeout: 120_000 },
    );
    const port = await freePort();
    child = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        '--user=root',
        `--datadir=${dir}/data`,
        `--socket=${dir}/sock`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--pid-file=${dir}/pid`,
        `--log-error=${dir}/err.log`,
        '--skip-log-bin',
        '--innodb-buffer-pool-size=32M',
        ...serverArgs,
      ],
      { stdio: 'ignore' },
    );
    running.add(child);
    const started = child;
    const exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    await waitUntilUp(port, started, dir);
    const connect = () =>
      createConnection({ host: '127.0.0.1', port, user: 'root', password: '', multipleStatements: false });
    const query = async (sql: string) => {
      const conn: Connection = await connect();
      try {
        return (await conn.query(sql))[0];
      } finally {
        await conn.end();
      }
    };
    const rootUrl = `mariadb://root@127.0.0.1:${port}`;
    return {
      rootUrl,
      port,
      query,
      createDatabase: async (name) => {
        if (!/^\w+$/.test(name)) throw new Error(`not a plain database name: ${name}`);
        await query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
        return `${rootUrl}/${name}`;
      },
      dispose: async () => {
        started.kill('SIGTERM');
        const killer = setTimeout(() => started.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(killer);
        running.delete(started);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (child) {
      child.kill('SIGKILL');
      running.delete(child);
    }
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function waitUntilUp(port: number, child: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`mariadbd exited at start: ${errorLog(dir)}`);
    }
    try {
      const conn = await createConnection({ host: '127.0.0.1', port, user: 'root', password: '' });
      await conn.end();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`mariadbd did not start: ${errorLog(dir)}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function errorLog(dir: string): string {
  try {
    return readFileSync(`${dir}/err.log`, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no error log)';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
