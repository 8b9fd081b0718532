/** A hive the desktop app watches. The token never appears here: main keeps it encrypted. */
export interface Hive {
  readonly id: string;
  readonly name: string;
  /** Base URL of the hive, e.g. `https://hive.example.com` (GraphQL lives at `<url>/graphql`). */
  readonly url: string;
}

/** What the renderer sends to add or change a hive; `token` is omitted to keep the stored one. */
export interface HiveInput {
  readonly id?: string;
  readonly name: string;
  readonly url: string;
  readonly token?: string;
}

/** The whole bridge the preload exposes as `window.borgHive`. Every function is one IPC call. */
export interface BorgHiveApi {
  listHives(): Promise<readonly Hive[]>;
  saveHive(input: HiveInput): Promise<Hive>;
  removeHive(id: string): Promise<boolean>;
  getToken(id: string): Promise<string | null>;
}

/** IPC channel per bridge function: the preload and main agree on these names through this type. */
export type IpcChannel = `borg-hive:${keyof BorgHiveApi}`;

export const ipcChannels = {
  listHives: 'borg-hive:listHives',
  saveHive: 'borg-hive:saveHive',
  removeHive: 'borg-hive:removeHive',
  getToken: 'borg-hive:getToken',
} as const satisfies { readonly [K in keyof BorgHiveApi]: `borg-hive:${K}` };
