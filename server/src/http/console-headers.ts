import type { ServerResponse } from 'node:http';

/**
 * Headers for the web console's files. The pages carry their own Content-Security-Policy meta tag (the desktop
 * app loads the same files from file://); this header policy is enforced on top of it and narrows what only the
 * server can: talk to this hive alone, never be framed by another site.
 */
export function setConsoleHeaders(res: ServerResponse): void {
  res.setHeader(
    'Content-Security-Policy',
    "connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}
