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
import 'reflect-metadata';
import { startTestHive } from '@borg-hive/server/testing';
import { inotifyWatches, seedRepositories } from './events-hive-kit.js';
import { hiveNodeArgs } from './hive-node-args.js';
import { memoryOf, spawnHive } from './hive-process.js';

const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'mariadb';
const watch = (process.argv[3] ?? 'watch') === 'watch';
const count = Number(process.argv[4] ?? 10_000);
const idleS = Number(process.argv[5] ?? 30);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const hive = await startTestHive({ dialect, env: { BORGHIVE_WATCH: 'false', BORGHIVE_LOG_LEVEL: 'warn' } });
try {
  await seedRepositories(hive, count, true);
  await hive.stop();
  const nodeArgs = await hiveNodeArgs();
  const started = performance.now();
  const child = await spawnHive(hive.config, {
    ...(process.env.BENCH_HEAPSNAPSHOT ? { NODE_OPTIONS: '--heapsnapshot-signal=SIGUSR2' } : {}),
    BORGHIVE_WATCH: String(watch),
  });
  try {
    const { ready, pid } = child;
    const readyMs = Math.round(performance.now() - started);
    const atReady = await memoryOf(pid);
    const watches = await inotifyWatches(pid);
    await sleep(idleS * 1000);
    const idle = await memoryOf(pid);
    if (process.env.BENCH_HEAPSNAPSHOT) {
      process.kill(pid, 'SIGUSR2');
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
    await child.stop();
  }
} finally {
  await hive.dispose();
}
process.exit(0);
