import { ipcChannels, type BorgHiveApi } from '../shared/api.js';
import type { HiveStore } from './hive-store.js';
import { isTrustedSenderUrl } from './trusted-sender.js';
import { parseHiveId, parseHiveInput } from './validate.js';

/** The part of an `IpcMainInvokeEvent` the handlers look at. */
export interface InvokeEvent {
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of Electron's `ipcMain` used here, so this module never imports `electron`. */
export interface IpcRegistry {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
}

type Handlers = { readonly [K in keyof BorgHiveApi]: (...args: unknown[]) => ReturnType<BorgHiveApi[K]> };

/** Builds the handler of every bridge function; each one validates its payload before touching the store. */
export function createHandlers(store: HiveStore): Handlers {
  return {
    listHives: () => store.list(),
    saveHive: (input) => store.save(parseHiveInput(input)),
    removeHive: (id) => store.remove(parseHiveId(id)),
    getToken: (id) => store.token(parseHiveId(id)),
  };
}

/** Registers the handlers; calls from any frame outside the app's own renderer folder are refused. */
export function registerIpc(ipc: IpcRegistry, store: HiveStore, rendererRoot: string): void {
  const handlers = createHandlers(store);
  for (const name of Object.keys(ipcChannels) as (keyof BorgHiveApi)[]) {
    ipc.handle(ipcChannels[name], async (event, ...args) => {
      if (!isTrustedSenderUrl(event.senderFrame?.url, rendererRoot)) throw new Error('untrusted sender');
      return handlers[name](...args);
    });
  }
}
