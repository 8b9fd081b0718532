import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  safeStorage,
  screen,
  shell,
  Tray,
} from 'electron';
import type { AttentionReport } from '../shared/api.js';
import type { TrayModel } from './attention.js';
import { AttentionHub } from './attention-hub.js';
import { trayIconBitmap } from './tray-icon.js';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CertificateProblems } from './certificate-problems.js';
import { HiveStore, type StoreFile } from './hive-store.js';
import { signInWithPassword, singleSignOnOf } from './hive-sign-in.js';
import { signInThroughBrowser } from './oidc-loopback.js';
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
const certificates = new CertificateProblems();
const loginItem = {
  get: () => app.getLoginItemSettings().openAtLogin,
  set: (enabled: boolean) => app.setLoginItemSettings({ openAtLogin: enabled }),
};
const attention = new AttentionHub();
const openRepository = (hiveId: string, repositoryId: string | null): void => {
  const hash = repositoryId
    ? `/hive/${encodeURIComponent(hiveId)}/repository/${encodeURIComponent(repositoryId)}`
    : '/';
  void mainWindow.loadFile(path.join(rendererDir, 'index.html'), { hash });
  mainWindow.show();
  mainWindow.focus();
};
const onAttention = async (report: AttentionReport): Promise<void> => {
  const { tray: model, notifications } = attention.apply(report, await store.list());
  tray.setToolTip(model.tooltip);
  tray.setContextMenu(trayMenu(model));
  for (const shown of notifications) {
    const notification = new Notification({ title: shown.title, body: shown.body });
    notification.on('click', () => openRepository(shown.hiveId, shown.repositoryId));
    notification.show();
  }
};
registerIpc(
  ipcMain,
  store,
  {
    certificates,
    now: () => Date.now(),
    loginItem,
    attention: onAttention,
    signIn: {
      // the system browser, never a web view of this app (RFC 8252 §8.12)
      browser: async (hiveUrl) => {
        await singleSignOnOf(hiveUrl);
        return signInThroughBrowser(hiveUrl, { openBrowser: (url) => shell.openExternal(url) });
      },
      password: (hiveUrl, credentials) => signInWithPassword(hiveUrl, credentials),
    },
  },
  rendererRoot,
);
// A hive whose certificate does not verify is never trusted; the record lets the renderer say
// "wrong certificate" for that hive instead of "offline".
app.on('certificate-error', (event, _contents, url, error, certificate, callback) => {
  event.preventDefault();
  callback(false);
  void store.list().then((hives) => {
    certificates.record(url, hives, { error, fingerprint: certificate.fingerprint, at: Date.now() });
  });
});
const mainWindow = await createWindow();
// The tray: what needs attention across hives (a click opens it), start at login (opt-in), quit.
const tray = new Tray(nativeImage.createFromBitmap(trayIconBitmap(16), { width: 16, height: 16 }));
let lastModel: TrayModel | null = null;
const trayMenu = (model: TrayModel | null = lastModel): Menu => {
  lastModel = model;
  return Menu.buildFromTemplate([
    ...(model?.items ?? []).map((item) => ({
      label: item.label,
      enabled: item.hiveId !== '',
      click: () => openRepository(item.hiveId, item.repositoryId),
    })),
    { type: 'separator' },
    { label: 'Open Borg Hive', click: () => mainWindow.show() },
    {
      label: 'Start at login',
      type: 'checkbox',
      checked: loginItem.get(),
      click: (item) => {
        loginItem.set(item.checked);
        tray.setContextMenu(trayMenu());
      },
    },
    { type: 'separator' },
    { label: 'Quit', role: 'quit' },
  ]);
};
tray.setToolTip('Borg Hive');
tray.setContextMenu(trayMenu());
app.on('second-instance', () => {
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});
app.on('window-all-closed', () => app.quit());
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
