import { app, BrowserWindow, ipcMain, safeStorage, shell } from 'electron';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HiveStore, type StoreFile } from './hive-store.js';
import { registerIpc } from './ipc-handlers.js';
import { isTrustedSenderUrl } from './trusted-sender.js';

// Composition root of the Electron main process: everything with logic lives in modules that do not
// import `electron`, so they are unit-tested with node:test.
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '../../renderer');
const rendererRoot = pathToFileURL(rendererDir + path.sep).href;

function storeFile(file: string): StoreFile {
  return {
    read: async () =>
      readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      }),
    write: async (contents) => {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(`${file}.tmp`, contents, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    },
  };
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'Borg Hive',
    webPreferences: {
      preload: path.join(here, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedSenderUrl(url, rendererRoot)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadFile(path.join(rendererDir, 'index.html'));
}

await app.whenReady();
if (!safeStorage.isEncryptionAvailable()) console.warn('safeStorage: no OS keyring, tokens use a weak key');
const store = new HiveStore(storeFile(path.join(app.getPath('userData'), 'hives.json')), {
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (encrypted) => safeStorage.decryptString(encrypted),
});
registerIpc(ipcMain, store, rendererRoot);
createWindow();
app.on('window-all-closed', () => app.quit());
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
