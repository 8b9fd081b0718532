import type { BorgHiveApi } from '../shared/api.js';
import { desktopBridge } from './hives/bridge.js';
import { DesktopApp } from './DesktopApp.js';
import { WebConsole } from './WebConsole.js';

/** Inside Electron the preload provides `window.borgHive`; without it this is the server's web console. */
export function App() {
  const bridge: BorgHiveApi | undefined = desktopBridge();
  return bridge ? <DesktopApp bridge={bridge} /> : <WebConsole />;
}
