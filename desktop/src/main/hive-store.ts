import { randomUUID } from 'node:crypto';
import type { Hive, HiveInput } from '../shared/api.js';

/** What the store needs from Electron's `safeStorage` (faked in tests). */
export interface TokenCipher {
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

/** Where the store keeps its one file (the user data dir in the app; a temp dir in tests). */
export interface StoreFile {
  read(): Promise<string | null>;
  write(contents: string): Promise<void>;
}

interface StoredHive extends Hive {
  /** base64 of the `safeStorage`-encrypted token; absent when the hive has none yet. */
  readonly token?: string;
}

/** On-disk format, version 1: `{ "version": 1, "hives": [{ id, name, url, token?, notify? }] }`. */
interface StoredFile {
  readonly version: 1;
  readonly hives: readonly StoredHive[];
}

export class HiveStore {
  constructor(
    private readonly file: StoreFile,
    private readonly cipher: TokenCipher,
    private readonly newId: () => string = randomUUID,
  ) {}

  async list(): Promise<Hive[]> {
    return (await this.load()).map(shown);
  }

  async save(input: HiveInput): Promise<Hive> {
    const hives = await this.load();
    const existing = input.id === undefined ? undefined : hives.find((hive) => hive.id === input.id);
    if (input.id !== undefined && !existing) throw new Error(`unknown hive ${input.id}`);
    const token =
      input.token === undefined ? existing?.token : this.cipher.encrypt(input.token).toString('base64');
    const notify = input.notify ?? existing?.notify ?? true;
    const hive: StoredHive = {
      id: existing?.id ?? this.newId(),
      name: input.name,
      url: input.url,
      ...(token === undefined ? {} : { token }),
      // written only when off: files of earlier versions (no field) read as on
      ...(notify ? {} : { notify: false }),
    };
    await this.store(existing ? hives.map((h) => (h.id === hive.id ? hive : h)) : [...hives, hive]);
    return shown(hive);
  }

  async remove(id: string): Promise<boolean> {
    const hives = await this.load();
    const rest = hives.filter((hive) => hive.id !== id);
    if (rest.length === hives.length) return false;
    await this.store(rest);
    return true;
  }

  async token(id: string): Promise<string | null> {
    const hive = (await this.load()).find((h) => h.id === id);
    return hive?.token === undefined ? null : this.cipher.decrypt(Buffer.from(hive.token, 'base64'));
  }

  private async load(): Promise<StoredHive[]> {
    const text = await this.file.read();
    if (text === null) return [];
    const parsed: unknown = JSON.parse(text);
    if (!isStoredFile(parsed)) throw new Error('hive store has an unknown format');
    return [...parsed.hives];
  }

  private async store(hives: readonly StoredHive[]): Promise<void> {
    const file: StoredFile = { version: 1, hives };
    await this.file.write(`${JSON.stringify(file, null, 2)}\n`);
  }
}

/** A stored hive as the renderer sees it: never its token. */
function shown({ id, name, url, notify }: StoredHive): Hive {
  return { id, name, url, ...(notify === false ? { notify: false } : {}) };
}

function isStoredFile(value: unknown): value is StoredFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as { version?: unknown; hives?: unknown };
  return file.version === 1 && Array.isArray(file.hives) && file.hives.every(isStoredHive);
}

function isStoredHive(value: unknown): value is StoredHive {
  if (typeof value !== 'object' || value === null) return false;
  const hive = value as Record<string, unknown>;
  return (
    typeof hive.id === 'string' &&
    typeof hive.name === 'string' &&
    typeof hive.url === 'string' &&
    (hive.token === undefined || typeof hive.token === 'string') &&
    (hive.notify === undefined || typeof hive.notify === 'boolean')
  );
}
