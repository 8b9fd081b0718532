import type { BorgHiveApi } from '../../shared/api.js';

declare global {
  interface Window {
    /** Present only inside the desktop app (exposed by the preload). */
    readonly borgHive?: BorgHiveApi;
  }
}

/** The desktop bridge, or undefined in the web console. */
export function desktopBridge(): BorgHiveApi | undefined {
  return window.borgHive;
}
