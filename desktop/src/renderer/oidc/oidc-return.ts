// The web console's half of an OpenID Connect sign-in: a PKCE verifier kept in this tab while the browser
// visits the provider, and the hive's answer in the URL fragment (`#oidc=<code>` or `#oidc-error=<why>`),
// which never reaches a server and is removed from the address bar at once.
const VERIFIER_KEY = 'borg-hive.oidc-verifier';

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Where to send the browser to start: `<startPath>?code_challenge=<S256 of a new verifier>`. */
export async function startUrl(startPath: string, storage: Storage): Promise<string> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  storage.setItem(VERIFIER_KEY, verifier);
  return `${startPath}?code_challenge=${base64url(new Uint8Array(digest))}`;
}

export type OidcReturn = { code: string; verifier: string } | { error: string } | null;

/** Reads (and forgets) what the hive sent back in the fragment; null when this page load is no return. */
export function takeReturn(hash: string, storage: Storage): OidcReturn {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const code = params.get('oidc');
  const error = params.get('oidc-error');
  if (code === null && error === null) return null;
  const verifier = storage.getItem(VERIFIER_KEY);
  storage.removeItem(VERIFIER_KEY);
  if (error !== null) return { error };
  if (!code || !verifier) return { error: 'this sign-in was started in another tab: start again' };
  return { code, verifier };
}
