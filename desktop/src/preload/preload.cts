// Sandboxed preloads are CommonJS and may only require `electron`: this file imports nothing else at runtime.
import { contextBridge, ipcRenderer } from 'electron';
import type { BorgHiveApi, IpcChannel } from '../shared/api.js';

const call = (channel: IpcChannel, ...args: unknown[]): Promise<never> =>
  ipcRenderer.invoke(channel, ...args) as Promise<never>;

const api = {
  listHives: () => call('borg-hive:listHives'),
  saveHive: (input) => call('borg-hive:saveHive', input),
  removeHive: (id) => call('borg-hive:removeHive', id),
  getToken: (id) => call('borg-hive:getToken', id),
  certificateProblem: (id) => call('borg-hive:certificateProblem', id),
  startAtLogin: (enabled) => call('borg-hive:startAtLogin', enabled),
  reportAttention: (report) => call('borg-hive:reportAttention', report),
  signInWithBrowser: (input) => call('borg-hive:signInWithBrowser', input),
  signInWithPassword: (input) => call('borg-hive:signInWithPassword', input),
} satisfies BorgHiveApi;

contextBridge.exposeInMainWorld('borgHive', api);
