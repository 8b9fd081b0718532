import { app, BrowserWindow, ipcMain, safeStorage, screen, shell } from 'electron';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HiveStore, type StoreFile } from './hive-store.js';
import { registerIpc } from './ipc-handlers.js';
import { isTrustedSenderUrl } from './trusted-sender.js';
import { restoreWindow } from './window-state.js';

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

const windowFile = (): string => path.join(app.getPath('userData'), 'window.json');

async function createWindow(): Promise<BrowserWindow> {
  const saved: unknown = await readFile(windowFile(), 'utf8')
    .then((text) => JSON.parse(text) as unknown)
    .catch(() => null);
  const { bounds, maximized } = restoreWindow(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...bounds,
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
  if (maximized) window.maximize();
  // Remembered for the next start (restoreWindow checks it still fits the displays then).
  window.on('close', () => {
    const state = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    void storeFile(windowFile()).write(JSON.stringify(state));
  });
  void window.loadFile(path.join(rendererDir, 'index.html'));
  return window;
}

// One instance: a second start focuses the running window instead of opening another.
if (!app.requestSingleInstanceLock()) {
  app.quit();
  process.exit(0);
}

await app.whenReady();
if (!safeStorage.isEncryptionAvailable()) console.warn('safeStorage: no OS keyring, tokens use a weak key');
const store = new HiveStore(storeFile(path.join(app.getPath('userData'), 'hives.json')), {
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (encrypted) => safeStorage.decryptString(encrypted),
});
registerIpc(ipcMain, store, rendererRoot);
const mainWindow = await createWindow();
app.on('second-instance', () => {
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});
app.on('window-all-closed', () => app.quit());
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
