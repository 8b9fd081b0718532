import type { ServerResponse } from 'node:http';

/** connect-src for the console: this hive, plus the other hives it was configured to watch (HTTP and WebSocket). */
export function consoleConnectSrc(otherHives: readonly string[]): string {
  const sockets = otherHives.map((origin) => origin.replace(/^http/, 'ws'));
  return ["'self'", ...otherHives, ...sockets].join(' ');
}

/**
 * Headers for the web console's files. The pages carry their own Content-Security-Policy meta tag (the desktop
 * app loads the same files from file://); this header policy is enforced on top of it and narrows what only the
 * server can: talk to this hive (and the hives of BORGHIVE_CONSOLE_HIVES) alone, never be framed by another site.
 */
export function setConsoleHeaders(res: ServerResponse, otherHives: readonly string[] = []): void {
  res.setHeader(
    'Content-Security-Policy',
    `connect-src ${consoleConnectSrc(otherHives)}; frame-ancestors 'none'; object-src 'none'; base-uri 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}
