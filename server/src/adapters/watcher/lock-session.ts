import { join } from 'node:path';
import type { Logger } from 'pino';
import { lstatOrNull } from '../fs/safe-read.js';
import { readLockRoster, type LockRoster } from './lock-roster.js';

export type LockSignal =
  { type: 'OPENED' | 'CLOSED'; access: 'write' } | { type: 'ACCESSED'; access: 'read' };

/** Re-reads of the roster after lock.exclusive appeared, in case a change notification is coalesced. */
const CLASSIFY_POLLS_MS = [5, 15, 40, 100];
const UNREADABLE_RETRIES = 10;
const CLOSE_VERIFY_MS = 200;
/** How many reader and writer ids a session remembers (borg process ids recur only after many). */
const SEEN_OWNERS = 64;

/** A set that forgets its oldest members beyond `limit`. */
class RecentSet {
  readonly #items = new Set<string>();
  constructor(private readonly limit: number) {}
  has(item: string): boolean {
    return this.#items.has(item);
  }
  add(item: string): void {
    this.#items.delete(item);
    this.#items.add(item);
    if (this.#items.size > this.limit) this.#items.delete(this.#items.values().next().value as string);
  }
}

/**
 * Tells write sessions from reads for one repository, from `lock.exclusive` and `lock.roster`.
 *
 * borg 1.2 (`locking.Lock`): a WRITER renames `lock.exclusive.<rand>.tmp` to `lock.exclusive`, then
 * writes itself into the roster's "exclusive" list, and keeps both until it closes (roster entry
 * removed, roster deleted when empty, then the lock directory removed). A READER holds
 * `lock.exclusive` only for the few ms in which it adds itself to (and at the end removes itself from)
 * the roster's "shared" list, often too briefly to be seen at all.
 *
 * The rule:
 * - roster shows an exclusive owner => write session: OPENED at once (no debounce; borg writes the
 *   roster right after the rename), CLOSED when lock.exclusive disappears;
 * - roster shows a shared owner we had not seen, and no exclusive owner => one ACCESSED (read) per
 *   new reader; a reader's release (its owner leaving the list) emits nothing;
 * - an exclusive owner different from the open session's => that session CLOSED, a new one OPENED
 *   (back-to-back sessions whose lock removal and re-creation the watcher saw as one); a roster with no
 *   exclusive owner while a session is open => that session CLOSED (a reader followed the writer);
 * - raw change notifications on lock.exclusive / lock.roster (`touched`) read the roster at once: a
 *   reader whose lock and roster come and go between two directory scans is still seen in the roster,
 *   and when even that is too late, each creation + removal of lock.roster with no write session in
 *   between counts as one read;
 * - a new index.N while lock.exclusive is held but not yet classified => write (readers never commit);
 *   UPDATED is always emitted after the OPENED of its session (held back while a roster read is out);
 * - lock.exclusive held for `fallbackMs` with no owner at all in the roster (unreadable roster,
 *   other borg version, a reader killed while holding the lock) => treated as a write (OPENED);
 *   a roster that lists readers only is a read, however long the lock seemed to be held.
 */
export class LockSession {
  #lockPresent = false;
  #writeOpen = false;
  /** The roster's exclusive owner of the open write session, when known. */
  #writeOwner: string | undefined;
  /**
   * Roster owners already accounted for (readers reported, writers closed). Owners are `host@pid-thread`,
   * one per borg process, so a roster read that lands after the owner's lock is gone (reads are async,
   * the watcher's unlink is not) neither reports a reader twice nor re-opens a closed write session.
   */
  #seenReaders = new RecentSet(SEEN_OWNERS);
  #closedWriters = new RecentSet(SEEN_OWNERS);
  /**
   * Raw renames of lock.roster (each a creation or a removal) not yet accounted for: reset when a read
   * finds the roster and when a write session opens or closes (a new epoch), consumed when reported as
   * reads. A read counts only the renames that came before it began: a roster created during the read
   * may still be found by the next one.
   */
  #rosterRenames = 0;
  #renameEpoch = 0;
  #reading = false;
  #pending = false;
  #timers = new Set<NodeJS.Timeout>();
  #afterRead: (() => void)[] = [];
  #disposed = false;

  constructor(
    private readonly dir: string,
    private readonly signal: (signal: LockSignal) => void,
    private readonly logger: Logger,
    private readonly fallbackMs: number,
  ) {}

  get writeOpen(): boolean {
    return this.#writeOpen;
  }

  lockAdded(): void {
    this.#lockPresent = true;
    this.#read();
    for (const delay of CLASSIFY_POLLS_MS) {
      this.#later(delay, () => this.#lockPresent && !this.#writeOpen && this.#read());
    }
    this.#later(this.fallbackMs, () => void this.#fallback());
  }

  lockRemoved(): void {
    this.#lockPresent = false;
    this.#flush();
    this.#close();
    this.#read();
  }

  /**
   * A commit (new index.N): `update` emits UPDATED, ordered after this session's OPENED. A commit
   * with no session in sight means the watcher lagged behind a whole (short) write session, whose
   * lock and roster were gone before they could be seen: the session is still reported, as OPENED,
   * UPDATED and (once lock.exclusive is confirmed gone) CLOSED.
   */
  indexAdded(update: () => void): void {
    if (this.#writeOpen) return update();
    if (this.#reading && !this.#lockPresent) {
      this.#afterRead.push(update);
      return;
    }
    this.#open();
    update();
    if (!this.#lockPresent) this.#later(0, () => void this.#verifyClosed());
  }

  rosterChanged(): void {
    this.#read();
  }

  /**
   * Something happened to lock.exclusive or lock.roster that the watcher may not report as an add or
   * unlink (a reader's lock and roster can come and go between two directory scans): read the roster now,
   * while the reader is still listed in it.
   */
  touched(name: 'lock.exclusive' | 'lock.roster', event: string): void {
    if (name === 'lock.roster' && event === 'rename') this.#rosterRenames++;
    this.#read();
  }

  rosterRemoved(): void {
    if (this.#writeOpen) this.#later(CLOSE_VERIFY_MS, () => void this.#verifyClosed());
  }

  dispose(): void {
    this.#disposed = true;
    this.#afterRead = [];
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #close(): void {
    if (!this.#writeOpen) return;
    this.#writeOpen = false;
    this.#resetRenames();
    if (this.#writeOwner !== undefined) this.#closedWriters.add(this.#writeOwner);
    this.#writeOwner = undefined;
    this.signal({ type: 'CLOSED', access: 'write' });
  }

  #open(): void {
    if (this.#writeOpen) return;
    this.#writeOpen = true;
    this.#resetRenames();
    this.signal({ type: 'OPENED', access: 'write' });
  }

  #later(delay: number, run: () => unknown): void {
    if (this.#disposed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#disposed) run();
    }, delay);
    timer.unref();
    this.#timers.add(timer);
  }

  /** Roster reads are serialised; a request during a read folds into one more read afterwards. */
  #read(): void {
    if (this.#reading) {
      this.#pending = true;
      return;
    }
    this.#reading = true;
    void this.#readLoop().finally(() => {
      this.#reading = false;
      this.#flush();
    });
  }

  #flush(): void {
    const updates = this.#afterRead;
    this.#afterRead = [];
    for (const update of updates) this.indexAdded(update);
  }

  #resetRenames(): void {
    this.#rosterRenames = 0;
    this.#renameEpoch++;
  }

  async #readLoop(): Promise<void> {
    let next = true;
    while (next && !this.#disposed) {
      const before = { renames: this.#rosterRenames, epoch: this.#renameEpoch };
      let roster = await readLockRoster(this.dir);
      for (let retry = 0; roster === 'unreadable' && retry < UNREADABLE_RETRIES; retry++) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        roster = await readLockRoster(this.dir);
      }
      if (this.#disposed) return;
      if (roster === 'unreadable') this.logger.debug({ dir: this.dir }, 'lock.roster unreadable, ignored');
      else this.#apply(roster, before);
      next = this.#pending;
      this.#pending = false;
    }
  }

  #apply(roster: LockRoster | 'missing', before: { renames: number; epoch: number }): void {
    if (roster === 'missing') {
      // Readers that came and went before the roster could be read: with no write session in between
      // (opening or closing one starts a new epoch), each creation + removal of lock.roster was one.
      if (this.#writeOpen || before.epoch !== this.#renameEpoch) return;
      const transient = Math.floor(before.renames / 2);
      this.#rosterRenames -= 2 * transient;
      for (let i = 0; i < transient; i++) this.signal({ type: 'ACCESSED', access: 'read' });
      return;
    }
    this.#resetRenames();
    const listed = roster.exclusive[0];
    const owner = listed !== undefined && this.#closedWriters.has(listed) ? undefined : listed;
    // a writer stays in the roster until it closes: a roster without it means that session is over,
    // even when the watcher saw its lock.exclusive go and come back (a reader took it) as no change
    if (listed === undefined && this.#writeOpen) this.#close();
    if (owner !== undefined) {
      if (this.#writeOpen && this.#writeOwner !== undefined && this.#writeOwner !== owner) this.#close();
      this.#open();
      this.#writeOwner = owner;
    }
    const fresh = roster.shared.filter((reader) => !this.#seenReaders.has(reader));
    for (const reader of fresh) this.#seenReaders.add(reader);
    if (listed === undefined) {
      for (let i = 0; i < fresh.length; i++) this.signal({ type: 'ACCESSED', access: 'read' });
    }
  }

  async #fallback(): Promise<void> {
    if (!this.#lockPresent || this.#writeOpen || !(await this.#lockExists())) return;
    // Readers take lock.exclusive again to leave the roster; under load that can look like a long hold.
    const roster = await readLockRoster(this.dir);
    if (typeof roster === 'object' && roster.shared.length > 0 && roster.exclusive.length === 0) return;
    if (this.#disposed || this.#writeOpen) return;
    this.logger.debug({ dir: this.dir }, 'lock.exclusive held without an exclusive owner: treated as write');
    this.#open();
  }

  async #verifyClosed(): Promise<void> {
    if (this.#writeOpen && !(await this.#lockExists()) && !this.#disposed) {
      this.#lockPresent = false;
      this.#close();
    }
  }

  async #lockExists(): Promise<boolean> {
    return (await lstatOrNull(join(this.dir, 'lock.exclusive'))) !== null;
  }
}
