import { watch, type FSWatcher, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** chokidar's event names, so RepositoryWatcher maps them the same way. */
export type TreeEvent = 'add' | 'addDir' | 'change' | 'unlink' | 'unlinkDir';

export type DirectoryTreeOptions = {
  /** Directories this deep below the root (root = 0) are watched; deeper entries are only reported. */
  maxDepth: number;
  ignored: (path: string, stats: Stats) => boolean;
  onEvent: (event: TreeEvent, path: string, stats: Stats | undefined) => void;
  onError: (error: Error) => void;
  /** How many directories the initial scan reads at once (bounds its memory). */
  concurrency?: number;
};

type Directory = { watcher: FSWatcher; depth: number; children: Map<string, boolean> };

const code = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error ? String(error.code) : undefined;
const gone = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes(code(error) ?? '');
const asError = (cause: unknown): Error => (cause instanceof Error ? cause : new Error(String(cause)));

/**
 * A small native backend: one non-recursive fs.watch (one inotify watch) per directory down to
 * `maxDepth`. fs.watch only says "something named X changed", so every notification is resolved with
 * a stat against the known children: new name => add/addDir, known file => change, vanished => unlink
 * (unlinkDir closes that directory's watches below it). Notifications of one directory are handled in
 * order. The initial scan reads at most `concurrency` directories at once.
 */
export class DirectoryTree {
  readonly #root: string;
  readonly #options: DirectoryTreeOptions;
  readonly #dirs = new Map<string, Directory>();
  readonly #queues = new Map<string, Promise<void>>();
  #closed = false;

  constructor(root: string, options: DirectoryTreeOptions) {
    this.#root = root;
    this.#options = options;
  }

  /** Watches and scans the root (and below); resolves when the initial scan is done. */
  async start(): Promise<void> {
    const pending: string[] = [];
    await this.#addDirectory(this.#root, 0, pending);
    const workers = Array.from({ length: this.#options.concurrency ?? 32 }, async () => {
      for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
        const depth = this.#depth(dir);
        await this.#addDirectory(dir, depth, pending);
      }
    });
    await Promise.all(workers);
  }

  close(): void {
    this.#closed = true;
    for (const dir of this.#dirs.values()) dir.watcher.close();
    this.#dirs.clear();
  }

  get size(): number {
    return this.#dirs.size;
  }

  #depth(path: string): number {
    const rel = relative(this.#root, path);
    return rel === '' ? 0 : rel.split(sep).length;
  }

  /** Watches `path`, then reports its entries; subdirectories go to `pending` (or are added now). */
  async #addDirectory(path: string, depth: number, pending?: string[]): Promise<void> {
    if (this.#closed || this.#dirs.has(path)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(path, { persistent: true }, (_type, name) => this.#notified(path, name));
    } catch (error) {
      if (!gone(error)) this.#options.onError(asError(error));
      return;
    }
    watcher.on('error', (error) => this.#watchFailed(path, error));
    const dir: Directory = { watcher, depth, children: new Map() };
    this.#dirs.set(path, dir);
    await this.#enqueue(path, () => this.#rescan(path, dir, pending));
  }

  #notified(dir: string, name: string | Buffer | null): void {
    const known = this.#dirs.get(dir);
    if (!known) return;
    if (name === null) void this.#enqueue(dir, () => this.#rescan(dir, known));
    else void this.#enqueue(dir, () => this.#resolve(dir, known, String(name)));
  }

  #enqueue(dir: string, task: () => Promise<void>): Promise<void> {
    const run = (this.#queues.get(dir) ?? Promise.resolve())
      .then(async () => {
        if (!this.#closed && this.#dirs.get(dir)) await task();
      })
      .catch((error: unknown) => this.#options.onError(asError(error)));
    this.#queues.set(dir, run);
    void run.then(() => this.#queues.get(dir) === run && this.#queues.delete(dir));
    return run;
  }

  async #rescan(path: string, dir: Directory, pending?: string[]): Promise<void> {
    let names: string[];
    try {
      names = await readdir(path);
    } catch (error) {
      if (gone(error)) return;
      throw error;
    }
    const present = new Set(names);
    for (const name of [...dir.children.keys()]) if (!present.has(name)) this.#removed(path, dir, name);
    for (const name of names) await this.#resolve(path, dir, name, pending);
  }

  /** Settles what `name` in `path` is now and reports the difference. */
  async #resolve(path: string, dir: Directory, name: string, pending?: string[]): Promise<void> {
    const child = join(path, name);
    let stats: Stats;
    try {
      stats = await stat(child);
    } catch (error) {
      if (!gone(error)) throw error;
      this.#removed(path, dir, name);
      return;
    }
    if (this.#closed || this.#dirs.get(path) !== dir) return;
    const isDir = stats.isDirectory();
    const known = dir.children.get(name);
    if (known !== undefined && known !== isDir) this.#removed(path, dir, name);
    if (this.#options.ignored(child, stats)) return;
    if (known === isDir) {
      if (!isDir) this.#options.onEvent('change', child, stats);
      return;
    }
    dir.children.set(name, isDir);
    this.#options.onEvent(isDir ? 'addDir' : 'add', child, stats);
    if (!isDir || dir.depth + 1 > this.#options.maxDepth) return;
    if (pending) pending.push(child);
    else await this.#addDirectory(child, dir.depth + 1);
  }

  #removed(path: string, dir: Directory, name: string): void {
    const isDir = dir.children.get(name);
    if (isDir === undefined) return;
    dir.children.delete(name);
    const child = join(path, name);
    if (isDir) this.#closeBelow(child);
    this.#options.onEvent(isDir ? 'unlinkDir' : 'unlink', child, undefined);
  }

  #closeBelow(path: string): void {
    const prefix = path + sep;
    for (const [key, dir] of this.#dirs)
      if (key === path || key.startsWith(prefix)) {
        dir.watcher.close();
        this.#dirs.delete(key);
      }
  }

  #watchFailed(path: string, error: unknown): void {
    const dir = this.#dirs.get(path);
    if (!dir) return;
    // A deleted directory's watch may fail; its parent reports the removal. Anything else is real.
    void stat(path).then(
      () => this.#options.onError(asError(error)),
      (cause: unknown) => {
        if (!gone(cause)) this.#options.onError(asError(error));
        else if (path === this.#root) this.#options.onError(asError(error));
      },
    );
  }
}
