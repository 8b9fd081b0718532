import type { TextFile } from '../../adapters/fs/text-file.js';
import type { WatchReport } from './event-sink.js';

type Stored = Omit<WatchReport, 'at'> & { at: string };

/**
 * Reports not yet accepted by the hive, in order; kept in a JSON-lines file when `file` is given so an
 * agent restarted while the hive was unreachable still delivers them.
 * (`localTextFile(path)` in production, a MemoryTextFile in unit tests.)
 */
export class Outbox {
  #items: WatchReport[] = [];

  constructor(private readonly file: TextFile | null) {}

  async load(): Promise<number> {
    if (!this.file) return 0;
    const text = await this.file.read().catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const stored = JSON.parse(line) as Stored;
        this.#items.push({ ...stored, at: new Date(stored.at) });
      } catch {
        // a line cut short by a crash: the reconciliation at start covers it
      }
    }
    return this.#items.length;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(max: number): WatchReport[] {
    return this.#items.slice(0, max);
  }

  async add(reports: WatchReport[]): Promise<void> {
    this.#items.push(...reports);
    if (this.file) await this.file.append(reports.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  async remove(count: number): Promise<void> {
    this.#items.splice(0, count);
    await this.#rewrite();
  }

  /** Removes the reports at these positions (of what peek returned), keeping the order of the rest. */
  async drop(positions: ReadonlySet<number>): Promise<void> {
    this.#items = this.#items.filter((_, i) => !positions.has(i));
    await this.#rewrite();
  }

  async #rewrite(): Promise<void> {
    if (this.file) await this.file.write(this.#items.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}
