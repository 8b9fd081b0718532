/**
 * Borg 2 watcher benchmark: `npm run bench events-borg2 [repositories=10000] [sessions=500]`.
 * 1. N borg 2 layouts on disk (config/, keys/, locks/, archives/, packs/00): time to watch them all,
 *    inotify watches (goal: no more than borg 1's two per repository), resident memory.
 * 2. Lock to event: a lock object written the way borgstore does (temporary name, rename) in one
 *    repository after another; time from the write to OPENED leaving the watcher, and from the removal to
 *    CLOSED (goal: median <= 20 ms, p99 <= 100 ms). The writes run in this process: no borg, no ssh.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Borg2Watcher, type Borg2WatchEvent } from '@borg-hive/server/testing';

const logger = pino({ level: 'warn' });
const hex = (n: number): string => n.toString(16).padStart(64, '0');
const repoDir = (root: string, i: number): string => join(root, `b${String(i).padStart(7, '0')}`, `repo${i}`);

async function createRepositories(root: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 200) {
    const batch = Array.from({ length: Math.min(200, count - start) }, (_, k) => repoDir(root, start + k));
    await Promise.all(
      batch.map(async (dir) => {
        for (const sub of ['config', 'keys', 'locks', 'archives', 'packs/00'])
          await mkdir(join(dir, sub), { recursive: true });
        await writeFile(join(dir, 'keys', hex(1)), 'sealed');
        await writeFile(join(dir, 'archives', hex(2)), '');
      }),
    );
  }
}

async function inotifyWatches(): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fdinfo')) {
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '');
    count += info.match(/inotify wd:/g)?.length ?? 0;
  }
  return count;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const ms = (n: number): number => Math.round(n * 100) / 100;

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000);
  const sessions = Math.min(Number(process.argv[3] ?? 500), count);
  const root = await mkdtemp(join(tmpdir(), 'bench-borg2-'));
  const watcher = new Borg2Watcher({ logger });
  try {
    await createRepositories(root, count);
    const before = await inotifyWatches();
    const started = performance.now();
    for (let i = 0; i < count; i++)
      await watcher.add({ repoUser: `b${i}`, repoName: `repo${i}`, path: repoDir(root, i) });
    const addMs = performance.now() - started;
    const watches = (await inotifyWatches()) - before;
    console.log(
      JSON.stringify({
        repositories: count,
        watchAllMs: Math.round(addMs),
        inotifyWatches: watches,
        watchesPerRepository: watches / count,
        rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      }),
    );

    let waiting: { path: string; type: string; resolve: () => void } | null = null;
    watcher.on((e: Borg2WatchEvent) => {
      if (waiting && e.path === waiting.path && e.type === waiting.type) waiting.resolve();
    });
    const until = (path: string, type: string) =>
      new Promise<void>((resolve) => (waiting = { path, type, resolve }));
    const opened: number[] = [];
    const closed: number[] = [];
    for (let s = 0; s < sessions; s++) {
      const dir = repoDir(root, Math.floor((s * count) / sessions));
      const lock = join(dir, 'locks', hex(100 + s));
      let t = performance.now();
      let event = until(dir, 'OPENED');
      await writeFile(`${lock}.tmp`, 'sealed');
      await rename(`${lock}.tmp`, lock);
      await event;
      opened.push(performance.now() - t);
      t = performance.now();
      event = until(dir, 'CLOSED');
      await rm(lock);
      await event;
      closed.push(performance.now() - t);
    }
    for (const [name, list] of [
      ['lockToOpened', opened],
      ['unlockToClosed', closed],
    ] as const) {
      const sorted = [...list].sort((x, y) => x - y);
      console.log(
        JSON.stringify({
          [name]: {
            sessions,
            medianMs: ms(percentile(sorted, 50)),
            p99Ms: ms(percentile(sorted, 99)),
            maxMs: ms(sorted.at(-1) ?? NaN),
          },
        }),
      );
    }
  } finally {
    await watcher.stop();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
