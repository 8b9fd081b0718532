/**
 * The redirect URIs a native app may ask for (RFC 8252 §7.3): http on the loopback address, any port,
 * a path; never `localhost` (a name the host's resolver or firewall may send elsewhere, §8.3), never a
 * query, fragment or user info. Returns the normalised URI, or null for anything else.
 */
export function loopbackRedirect(raw: string): string | null {
  if (raw.length > 255 || !URL.canParse(raw)) return null;
  const url = new URL(raw);
  if (url.protocol !== 'http:' || (url.hostname !== '127.0.0.1' && url.hostname !== '[::1]')) return null;
  if (url.port === '' || url.username || url.password || url.search || url.hash) return null;
  return url.href;
}

/** The S256 challenge of a PKCE verifier (43 base64url characters) as a client sends it. */
export const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** A client `state` handed back untouched: printable, URL-safe, bounded. */
export const CLIENT_STATE = /^[A-Za-z0-9._~-]{1,128}$/;
