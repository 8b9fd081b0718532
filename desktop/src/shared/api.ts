/** A hive the desktop app watches. The token never appears here: main keeps it encrypted. */
export interface Hive {
  readonly id: string;
  readonly name: string;
  /** Base URL of the hive, e.g. `https://hive.example.com` (GraphQL lives at `<url>/graphql`). */
  readonly url: string;
  /** false: this hive raises no desktop notifications (its problems still show in the tray); absent: on. */
  readonly notify?: boolean;
}

/** What the renderer sends to add or change a hive; `token` (and `notify`) omitted keep the stored one. */
export interface HiveInput {
  readonly id?: string;
  readonly name: string;
  readonly url: string;
  readonly token?: string;
  readonly notify?: boolean;
}

/** A hive to add (or, with `id`, to sign in to again) by signing in instead of pasting a token. */
export interface HiveSignInInput {
  readonly id?: string;
  readonly name: string;
  readonly url: string;
}

/** A password sign-in: `otp` (a TOTP or recovery code) once the hive has asked for it. */
export interface HivePasswordSignInInput extends HiveSignInInput {
  readonly username: string;
  readonly password: string;
  readonly otp?: string;
}

/** The hive, signed in to (main keeps the session token); or the hive's question for the second factor. */
export type HiveSignInResult =
  | { readonly hive: Hive; readonly otpRequired?: undefined }
  | { readonly otpRequired: true; readonly message: string };

/** The whole bridge the preload exposes as `window.borgHive`. Every function is one IPC call. */
export interface BorgHiveApi {
  listHives(): Promise<readonly Hive[]>;
  saveHive(input: HiveInput): Promise<Hive>;
  removeHive(id: string): Promise<boolean>;
  getToken(id: string): Promise<string | null>;
  /** Why the hive's TLS certificate was refused lately (null: it was not): "wrong certificate", not offline. */
  certificateProblem(id: string): Promise<CertificateProblemInfo | null>;
  /** Whether the app starts at login (opt-in); `enabled` sets it, omitted reads it. */
  startAtLogin(enabled?: boolean): Promise<boolean>;
  /** What one hive's repositories need, for the tray and the notifications (main decides what to show). */
  reportAttention(report: AttentionReport): Promise<void>;
  /**
   * Signs in through the hive's OpenID provider in the system browser (RFC 8252 loopback redirect) and
   * saves the hive with that session; rejects with the hive's reason when the sign-in is refused.
   */
  signInWithBrowser(input: HiveSignInInput): Promise<Hive>;
  /** Signs in with a password (and, when the hive asks, a second factor) and saves the hive with that session. */
  signInWithPassword(input: HivePasswordSignInInput): Promise<HiveSignInResult>;
}

/** One hive's repositories that need attention (worst first), and whether the hive is reachable. */
export interface AttentionReport {
  readonly hiveId: string;
  readonly online: boolean;
  readonly repositories: readonly {
    readonly id: string;
    readonly name: string;
    /** contract §7 HealthState */
    readonly state: string;
    readonly reason: string;
    readonly since: string | null;
  }[];
}

/** A refused TLS certificate as the renderer shows it. */
export interface CertificateProblemInfo {
  readonly error: string;
  readonly fingerprint: string;
  readonly at: number;
}

/** IPC channel per bridge function: the preload and main agree on these names through this type. */
export type IpcChannel = `borg-hive:${keyof BorgHiveApi}`;

export const ipcChannels = {
  listHives: 'borg-hive:listHives',
  saveHive: 'borg-hive:saveHive',
  removeHive: 'borg-hive:removeHive',
  getToken: 'borg-hive:getToken',
  certificateProblem: 'borg-hive:certificateProblem',
  startAtLogin: 'borg-hive:startAtLogin',
  reportAttention: 'borg-hive:reportAttention',
  signInWithBrowser: 'borg-hive:signInWithBrowser',
  signInWithPassword: 'borg-hive:signInWithPassword',
} as const satisfies { readonly [K in keyof BorgHiveApi]: `borg-hive:${K}` };
