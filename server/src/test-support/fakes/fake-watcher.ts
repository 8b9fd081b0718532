import type {
  RepoWatchErrorListener,
  RepoWatchEvent,
  RepoWatchListener,
} from '../../adapters/watcher/watch-event.js';
import type { WatchSource } from '../../modules/monitor/index.js';

/** A WatchSource the test drives: `emit` is what inotify would have seen, `fail` a watcher error. */
export class FakeWatcher implements WatchSource {
  readonly #listeners = new Set<RepoWatchListener>();
  readonly #errorListeners = new Set<RepoWatchErrorListener>();
  started = false;
  stopped = false;

  on(listener: RepoWatchListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onError(listener: RepoWatchErrorListener): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  start(): Promise<void> {
    this.started = true;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }

  emit(event: RepoWatchEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  fail(error: Error): void {
    for (const listener of this.#errorListeners) listener(error);
  }
}
