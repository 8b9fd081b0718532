import { ipcChannels, type AttentionReport, type BorgHiveApi } from '../shared/api.js';
import type { HiveStore } from './hive-store.js';
import { isTrustedSenderUrl } from './trusted-sender.js';
import type { CertificateProblems } from './certificate-problems.js';
import type { PasswordSignIn } from './hive-sign-in.js';
import {
  InvalidPayloadError,
  parseAttentionReport,
  parseHiveId,
  parseHiveInput,
  parsePasswordSignInInput,
  parseSignInInput,
} from './validate.js';

/** The part of an `IpcMainInvokeEvent` the handlers look at. */
export interface InvokeEvent {
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of Electron's `ipcMain` used here, so this module never imports `electron`. */
export interface IpcRegistry {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
}

type Handlers = { readonly [K in keyof BorgHiveApi]: (...args: unknown[]) => ReturnType<BorgHiveApi[K]> };

/** The desktop's own state the bridge reads and sets, behind ports (no `electron` here). */
export interface DesktopPorts {
  readonly certificates: CertificateProblems;
  readonly now: () => number;
  /** Electron's login item settings */
  readonly loginItem: { get(): boolean; set(enabled: boolean): void };
  /** a hive's attention report, validated: main updates the tray and shows notifications */
  readonly attention: (report: AttentionReport) => Promise<void>;
  /** Signing in to a hive from main: the system browser (RFC 8252), or a password and second factor. */
  readonly signIn: {
    browser(hiveUrl: string): Promise<{ token: string }>;
    password(
      hiveUrl: string,
      credentials: { username: string; password: string; otp?: string | undefined },
    ): Promise<PasswordSignIn>;
  };
}

function parseOptionalBoolean(value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new InvalidPayloadError('expected true, false or nothing');
}

/** Builds the handler of every bridge function; each one validates its payload before touching the store. */
export function createHandlers(store: HiveStore, desktop: DesktopPorts): Handlers {
  return {
    listHives: () => store.list(),
    saveHive: (input) => store.save(parseHiveInput(input)),
    removeHive: (id) => store.remove(parseHiveId(id)),
    getToken: (id) => store.token(parseHiveId(id)),
    certificateProblem: async (id) => desktop.certificates.of(parseHiveId(id), desktop.now()),
    startAtLogin: async (enabled) => {
      const wanted = parseOptionalBoolean(enabled);
      if (wanted !== undefined) desktop.loginItem.set(wanted);
      return desktop.loginItem.get();
    },
    reportAttention: (report) => desktop.attention(parseAttentionReport(report)),
    signInWithBrowser: async (input) => {
      const hive = parseSignInInput(input);
      const { token } = await desktop.signIn.browser(hive.url);
      return store.save({ ...hive, token });
    },
    signInWithPassword: async (input) => {
      const { username, password, otp, ...hive } = parsePasswordSignInInput(input);
      const answer = await desktop.signIn.password(hive.url, { username, password, otp });
      if ('otpRequired' in answer) return { otpRequired: true, message: answer.message };
      return { hive: await store.save({ ...hive, token: answer.token }) };
    },
  };
}

/** Registers the handlers; calls from any frame outside the app's own renderer folder are refused. */
export function registerIpc(
  ipc: IpcRegistry,
  store: HiveStore,
  desktop: DesktopPorts,
  rendererRoot: string,
): void {
  const handlers = createHandlers(store, desktop);
  for (const name of Object.keys(ipcChannels) as (keyof BorgHiveApi)[]) {
    ipc.handle(ipcChannels[name], async (event, ...args) => {
      if (!isTrustedSenderUrl(event.senderFrame?.url, rendererRoot)) throw new Error('untrusted sender');
      return handlers[name](...args);
    });
  }
}
