/**
 * The hive as it runs in production, measured from outside: this process seeds the database (SQLite
 * file or a fresh MariaDB database) and the disk with 10,000 repositories whose rows match the disk,
 * stops its own hive, then starts `node server/dist/main.js serve` as a child the way `npm start` does
 * (NODE_ENV=production, the same node flags) and reports the child's figures: time until its
 * "hive ready" log line (watcher scanned and reconciled), its inotify watches, its VmRSS right after
 * ready and after an idle while. Goal (#5): ready <= 20 s, <= 300 MB.
 * Usage: npx node bench/dist/events-process.js [sqlite|mariadb] [watch|nowatch] [repositories=10000] [idleS=30]
 * BENCH_HEAPSNAPSHOT=1 asks the child for a heap snapshot (SIGUSR2) after the idle wait, in its cwd.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import 'reflect-metadata';
import { startTestHive } from '@borg-hive/server/testing';
import { inotifyWatches, seedRepositories } from './events-hive-kit.js';
import { hiveNodeArgs } from './hive-node-args.js';

const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'mariadb';
const watch = (process.argv[3] ?? 'watch') === 'watch';
const count = Number(process.argv[4] ?? 10_000);
const idleS = Number(process.argv[5] ?? 30);
const mainJs = join(import.meta.dirname, '../../server/dist/main.js');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** VmRSS and VmHWM (peak) of a process, in MB. */
async function memoryOf(pid: number): Promise<{ rssMB: number; peakMB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { rssMB: Math.round(kb('VmRSS') / 1024), peakMB: Math.round(kb('VmHWM') / 1024) };
}

/** Resolves with the "hive ready" log record; rejects if the child exits first. */
function readyLine(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      try {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (record['msg'] === 'hive ready') resolve(record);
        else if (typeof record['level'] === 'number' && record['level'] >= 40) console.error(line);
      } catch {
        console.error(line);
      }
    });
    child.once('exit', (code) => reject(new Error(`hive exited with ${code} before it was ready`)));
  });
}

const hive = await startTestHive({ dialect, env: { BORGHIVE_WATCH: 'false', BORGHIVE_LOG_LEVEL: 'warn' } });
try {
  await seedRepositories(hive, count, true);
  await hive.stop();
  const nodeArgs = await hiveNodeArgs();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, mainJs, 'serve'], {
    cwd: hive.config.dataDir,
    stdio: ['ignore', 'inherit', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...(process.env.BENCH_HEAPSNAPSHOT ? { NODE_OPTIONS: '--heapsnapshot-signal=SIGUSR2' } : {}),
      BORGHIVE_DATA_DIR: hive.config.dataDir,
      BORGHIVE_DATABASE_URL: hive.config.database.url,
      BORGHIVE_REPO_PATH: hive.config.repoPath,
      BORGHIVE_PORT: '0',
      BORGHIVE_WATCH: String(watch),
      BORGHIVE_LOG_LEVEL: 'info',
    },
  });
  try {
    const ready = await readyLine(child);
    const readyMs = Math.round(performance.now() - started);
    const pid = child.pid!;
    const atReady = await memoryOf(pid);
    const watches = await inotifyWatches(pid);
    await sleep(idleS * 1000);
    const idle = await memoryOf(pid);
    if (process.env.BENCH_HEAPSNAPSHOT) {
      child.kill('SIGUSR2');
      await sleep(20_000);
    }
    const startup = ready['watch'] as Record<string, number> | null;
    console.log(
      `${count} repositories, ${dialect}, watch=${watch}, node ${nodeArgs.join(' ') || '(no flags)'} (goal <= 20 s, <= 300 MB):`,
      {
        readyMs,
        scanMs: Math.round(startup?.['scanMs'] ?? 0),
        reconcileMs: Math.round(startup?.['reconcileMs'] ?? 0),
        inotifyWatches: watches,
        rssReadyMB: atReady.rssMB,
        [`rssIdle${idleS}sMB`]: idle.rssMB,
        peakMB: idle.peakMB,
      },
    );
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
} finally {
  await hive.dispose();
}
process.exit(0);
