import { execFile } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { open, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/**
 * What an IMPORT repository (written by rsync) or a careless admin can leave where the hive looks:
 * FIFOs, devices, links to /dev/zero or elsewhere, huge sparse files. For the tests that replay it.
 */
const run = promisify(execFile);

export const isRoot = process.getuid?.() === 0;
/** Why a device-node test is skipped, or false when it can run. */
export const noDevices = isRoot ? false : 'mknod needs root';

export async function makeFifo(path: string): Promise<void> {
  await run('mkfifo', [path]);
}

/** A character device with /dev/zero's numbers (1, 5): endless zeros to whoever opens and reads it. */
export async function makeZeroDevice(path: string): Promise<void> {
  await run('mknod', [path, 'c', '1', '5']);
}

export const linkToZero = (path: string): Promise<void> => symlink('/dev/zero', path);

/** A sparse file of `bytes` apparent size (no blocks used). */
export async function makeSparse(path: string, bytes: number): Promise<void> {
  await writeFile(path, '');
  await truncate(path, bytes);
}

/** A roster listing one exclusive owner (a write session), padded with spaces to `size` bytes. */
export function rosterText(size = 0): string {
  return JSON.stringify({ exclusive: [['intruder', 1, 1]], shared: [] }).padEnd(size, ' ');
}

/**
 * Opens the FIFO for writing and closes it: a reader blocked in open() (the bug) gets EOF and its
 * thread back. True when someone had it open for reading, i.e. the hive did open it.
 */
export async function releaseFifo(path: string): Promise<boolean> {
  try {
    const handle = await open(path, constants.O_WRONLY | constants.O_NONBLOCK);
    await handle.close();
    return true;
  } catch {
    return false; // ENXIO: no reader
  }
}

/** Bytes this process got from read() calls so far (Linux /proc/self/io `rchar`), devices included. */
export async function bytesRead(): Promise<number | undefined> {
  if (!existsSync('/proc/self/io')) return undefined;
  const match = /^rchar: (\d+)$/m.exec(await readFile('/proc/self/io', 'utf8'));
  return match ? Number(match[1]) : undefined;
}

/** Runs `work` and returns how many bytes the process read meanwhile (undefined without /proc). */
export async function readDuring<T>(
  work: () => Promise<T>,
): Promise<{ result: T; bytes: number | undefined }> {
  const before = await bytesRead();
  const result = await work();
  const after = await bytesRead();
  return { result, bytes: before === undefined || after === undefined ? undefined : after - before };
}

/**
 * Resolves with `work`'s result, or rejects when it has not settled after `ms`: a hang (a thread
 * blocked on a FIFO) fails the test instead of stalling the whole run. Not a speed check: the bound
 * is generous and only a blocked call misses it.
 */
export async function settlesWithin<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still blocked after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}
