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
} as const satisfies { readonly [K in keyof BorgHiveApi]: `borg-hive:${K}` };
