import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { releaseFreedHeap, type HeapRelease } from './heap-release.js';

const moduleUrl = new URL('./heap-release.js', import.meta.url).href;

test('without --expose-gc it does nothing', () => {
  assert.equal(typeof globalThis.gc, 'undefined', 'the test runner does not expose gc');
  assert.equal(releaseFreedHeap().released, false);
});

test('with --expose-gc the pages a burst freed go back to the system', async () => {
  // a burst like the watcher's scan: ~200 MB of short-lived objects, a few of them kept
  const script = `
    const { releaseFreedHeap } = await import(${JSON.stringify(moduleUrl)});
    const kept = [];
    for (let round = 0; round < 20; round++) {
      const burst = Array.from({ length: 100_000 }, (_, i) => ({ i, name: 'entry-' + round + '-' + i }));
      kept.push(burst[0]);
    }
    process.stdout.write(JSON.stringify({ ...releaseFreedHeap(), kept: kept.length }));`;
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--expose-gc',
    '--input-type=module',
    '-e',
    script,
  ]);
  const result = JSON.parse(stdout) as HeapRelease;
  assert.equal(result.released, true);
  assert.ok(
    result.rssAfterMB < result.rssBeforeMB,
    `resident memory went down: ${result.rssBeforeMB} -> ${result.rssAfterMB} MB`,
  );
});

test('the hourly release collects only when the process has grown by a quarter since the last', async () => {
  const script = `
    const { HeapReleaser } = await import(${JSON.stringify(moduleUrl)});
    const heap = new HeapReleaser();
    const first = heap.releaseNow();
    const steady = heap.releaseIfGrown();
    const kept = Array.from({ length: 2_000_000 }, (_, i) => ({ i, name: 'kept-' + i }));
    const grown = heap.releaseIfGrown();
    process.stdout.write(JSON.stringify({ first, steady, grown, kept: kept.length }));`;
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--expose-gc',
    '--input-type=module',
    '-e',
    script,
  ]);
  const { first, steady, grown } = JSON.parse(stdout) as Record<string, { released: boolean }>;
  assert.equal(first?.released, true);
  assert.equal(steady?.released, false, 'no pause while the size is steady');
  assert.equal(grown?.released, true, 'a collection once it has grown');
});
