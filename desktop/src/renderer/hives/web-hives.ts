/**
 * The web console's other hives (its own is signed in apart, see web-session.ts). A hive and its token
 * go to localStorage only when the user chose "remember on this device"; otherwise to sessionStorage,
 * which this tab alone sees and forgets when it closes.
 */
export interface WebHive {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly token: string;
  readonly remember: boolean;
}

/** The part of the Web Storage API used here (a Map-backed stand-in in unit tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = 'borg-hive.hives';

function read(storage: KeyValueStorage, remember: boolean): WebHive[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((item: unknown): WebHive[] => {
      if (typeof item !== 'object' || item === null) return [];
      const { id, name, url, token } = item as Record<string, unknown>;
      if (typeof id !== 'string' || typeof name !== 'string' || typeof url !== 'string') return [];
      if (typeof token !== 'string') return [];
      return [{ id, name, url, token, remember }];
    });
  } catch {
    // A damaged entry is dropped, never fatal: the user adds the hive again.
    return [];
  }
}

function write(storage: KeyValueStorage, hives: readonly WebHive[]): void {
  const plain = hives.map(({ id, name, url, token }) => ({ id, name, url, token }));
  if (plain.length === 0) storage.removeItem(KEY);
  else storage.setItem(KEY, JSON.stringify(plain));
}

/** A base URL as the console compares and stores it: origin plus path, no trailing slash. */
export function normaliseHiveUrl(input: string): string {
  const url = new URL(input.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error('The URL must start with http(s)://');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export class WebHiveStore {
  constructor(
    /** localStorage: what is remembered on this device. */
    private readonly device: KeyValueStorage,
    /** sessionStorage: this tab only. */
    private readonly tab: KeyValueStorage,
  ) {}

  list(): WebHive[] {
    const remembered = read(this.device, true);
    const ids = new Set(remembered.map((hive) => hive.id));
    return [...remembered, ...read(this.tab, false).filter((hive) => !ids.has(hive.id))];
  }

  /** Adds or replaces (same id, or same URL) a hive, in the storage its `remember` asks for. */
  save(hive: WebHive): void {
    const others = (list: WebHive[]): WebHive[] =>
      list.filter((known) => known.id !== hive.id && known.url !== hive.url);
    const device = others(read(this.device, true));
    const tab = others(read(this.tab, false));
    write(this.device, hive.remember ? [...device, hive] : device);
    write(this.tab, hive.remember ? tab : [...tab, hive]);
  }

  remove(id: string): void {
    write(
      this.device,
      read(this.device, true).filter((hive) => hive.id !== id),
    );
    write(
      this.tab,
      read(this.tab, false).filter((hive) => hive.id !== id),
    );
  }
}
