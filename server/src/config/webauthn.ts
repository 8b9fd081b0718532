import { isIP } from 'node:net';

/** Passkeys (WebAuthn): the relying party the browser binds a passkey to, and the origins it accepts. */
export interface WebAuthnConfig {
  /** A domain (never an IP address): each origin's host is it or a subdomain of it. */
  rpId: string;
  rpName: string;
  /** Origins (scheme://host[:port]) whose pages may register and use passkeys. */
  origins: string[];
}

function hostOf(origin: string): string {
  return new URL(origin).hostname.replace(/^\[|\]$/g, '');
}

function isSecureOrigin(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === 'localhost');
}

/**
 * BORGHIVE_WEBAUTHN_RP_ID / _ORIGINS / _RP_NAME. By default the relying party is the public URL's host and
 * the only origin the public URL's origin (the web console served by this hive). Browsers refuse an IP
 * address as RP ID, so a hive reached at http://127.0.0.1:<port> offers passkeys at
 * http://localhost:<port> instead.
 */
export function webAuthnFrom(
  get: (name: string) => string | undefined,
  publicUrl: string,
  problems: string[],
): WebAuthnConfig {
  const pub = URL.canParse(publicUrl) ? new URL(publicUrl) : null;
  const pubHost = pub ? hostOf(pub.origin) : 'localhost';
  const byIp = isIP(pubHost) !== 0;
  const fallbackOrigin = pub
    ? byIp
      ? `${pub.protocol}//localhost${pub.port ? `:${pub.port}` : ''}`
      : pub.origin
    : '';
  const rpId = (get('BORGHIVE_WEBAUTHN_RP_ID') ?? (byIp ? 'localhost' : pubHost)).toLowerCase();
  if (isIP(rpId) !== 0 || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(rpId)) {
    problems.push(
      `BORGHIVE_WEBAUTHN_RP_ID must be a domain name (browsers refuse IP addresses), got "${rpId}"`,
    );
  }
  const origins: string[] = [];
  const rawOrigins = get('BORGHIVE_WEBAUTHN_ORIGINS') ?? fallbackOrigin;
  for (const entry of rawOrigins.split(/[\s,]+/).filter(Boolean)) {
    const url = URL.canParse(entry) ? new URL(entry) : null;
    if (!url || url.pathname.length > 1 || url.search || url.hash || !isSecureOrigin(url)) {
      problems.push(
        `BORGHIVE_WEBAUTHN_ORIGINS: "${entry}" is not an https origin (or http://localhost[:port])`,
      );
      continue;
    }
    const host = hostOf(url.origin);
    if (host !== rpId && !host.endsWith(`.${rpId}`)) {
      problems.push(
        `BORGHIVE_WEBAUTHN_ORIGINS: "${entry}" is not on BORGHIVE_WEBAUTHN_RP_ID "${rpId}" (nor a subdomain of it)`,
      );
      continue;
    }
    origins.push(url.origin);
  }
  if (rawOrigins.trim() === '') problems.push('BORGHIVE_WEBAUTHN_ORIGINS: name at least one origin');
  return { rpId, rpName: get('BORGHIVE_WEBAUTHN_RP_NAME') ?? 'Borg Hive', origins };
}
