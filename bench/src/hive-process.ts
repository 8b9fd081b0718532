import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestHive } from '@borg-hive/server/testing';
import { hiveNodeArgs } from './hive-node-args.js';

const mainJs = join(import.meta.dirname, '../../server/dist/main.js');

/** VmRSS and VmHWM (peak) of a process, in MB. */
export async function memoryOf(pid: number): Promise<{ rssMB: number; peakMB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { rssMB: Math.round(kb('VmRSS') / 1024), peakMB: Math.round(kb('VmHWM') / 1024) };
}

/**
 * CPU seconds (user + system) a process has used so far: on a shared machine its wall-clock figures
 * vary with the neighbours' load, the work it did much less.
 */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // the fields after the command name (which may hold spaces), from field 3 (state) on
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime (fields 14 and 15) in clock ticks, 100 per second on Linux
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resolves with the "hive ready" log record; rejects if the child exits first. Warnings are printed. */
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

export interface HiveProcess {
  pid: number;
  /** the hive's HTTP base url */
  url: string;
  /** its "hive ready" log record */
  ready: Record<string, unknown>;
  /** SIGTERM, then waits for the exit */
  stop(): Promise<void>;
}

/**
 * `node server/dist/main.js serve` as a child, the way `npm start` runs it (NODE_ENV=production, the same
 * node flags), on the database, data dir and repo path of `config` (a stopped test hive's), with `env`
 * on top; resolves once it logged "hive ready". BENCH_HIVE_NODE_ARGS adds node flags (e.g. `--cpu-prof`).
 */
export async function spawnHive(
  config: TestHive['config'],
  env: Record<string, string>,
): Promise<HiveProcess> {
  const extra = (process.env['BENCH_HIVE_NODE_ARGS'] ?? '').split(/\s+/).filter((flag) => flag !== '');
  const child = spawn(process.execPath, [...(await hiveNodeArgs()), ...extra, mainJs, 'serve'], {
    cwd: config.dataDir,
    stdio: ['ignore', 'inherit', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BORGHIVE_DATA_DIR: config.dataDir,
      BORGHIVE_DATABASE_URL: config.database.url,
      BORGHIVE_REPO_PATH: config.repoPath,
      BORGHIVE_PORT: '0',
      BORGHIVE_LOG_LEVEL: 'info',
      ...env,
    },
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const ready = await readyLine(child);
    return { pid: child.pid!, url: String(ready['url']), ready, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
