import { isIP } from 'node:net';

/** Passkeys (WebAuthn): the relying party the browser binds a passkey to, and the origins it accepts. */
export interface WebAuthnConfig {
  /** A domain (never an IP address): each origin's host is it or a subdomain of it. */
  rpId: string;
  rpName: string;
  /** Origins (scheme://host[:port]) whose pages may register and use passkeys. */
  origins: string[];
  /** Why passkeys are off (a plain-http public URL and no BORGHIVE_WEBAUTHN_ORIGINS); null when on. */
  off: string | null;
}

const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

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
  const rpIdSet = get('BORGHIVE_WEBAUTHN_RP_ID');
  const rpId = (rpIdSet ?? (byIp ? 'localhost' : pubHost)).toLowerCase();
  const rpName = get('BORGHIVE_WEBAUTHN_RP_NAME') ?? 'Borg Hive';
  if (rpName.trim().length < 1 || rpName.length > 64)
    problems.push(`BORGHIVE_WEBAUTHN_RP_NAME must be 1 to 64 characters, got ${rpName.length}`);
  const rpIdValid = isIP(rpId) === 0 && DOMAIN.test(rpId);
  if (!rpIdValid) {
    problems.push(
      `BORGHIVE_WEBAUTHN_RP_ID must be a domain name (browsers refuse IP addresses), got "${rpId}"`,
    );
  } else if (rpIdSet !== undefined && pub && !byIp && pubHost !== rpId && !pubHost.endsWith(`.${rpId}`)) {
    problems.push(
      `BORGHIVE_WEBAUTHN_RP_ID "${rpId}" is neither the host of BORGHIVE_PUBLIC_URL ("${pubHost}") nor a parent domain of it: ` +
        `browsers would refuse passkeys in this hive's console (set it to "${pubHost}" or a parent domain)`,
    );
  }
  const originsSet = get('BORGHIVE_WEBAUTHN_ORIGINS');
  if (originsSet === undefined && pub && !isSecureOrigin(new URL(fallbackOrigin))) {
    // a plain-http hive on a LAN name: browsers offer WebAuthn to secure pages only, so passkeys are off
    // (not a reason to refuse to start); named origins are checked as usual
    return {
      rpId,
      rpName,
      origins: [],
      off: `passkeys need https: this hive's public URL is ${pub.origin} (set BORGHIVE_PUBLIC_URL to an https URL, or BORGHIVE_WEBAUTHN_ORIGINS)`,
    };
  }
  const origins: string[] = [];
  const rawOrigins = originsSet ?? fallbackOrigin;
  for (const entry of rawOrigins.split(/[\s,]+/).filter(Boolean)) {
    const url = URL.canParse(entry) ? new URL(entry) : null;
    if (!url || url.pathname.length > 1 || url.search || url.hash || !isSecureOrigin(url)) {
      problems.push(
        `BORGHIVE_WEBAUTHN_ORIGINS: "${entry}" is not an https origin (or http://localhost[:port])`,
      );
      continue;
    }
    const host = hostOf(url.origin);
    // (against an RP ID that is itself wrong, only that one problem is said)
    if (rpIdValid && host !== rpId && !host.endsWith(`.${rpId}`)) {
      problems.push(
        `BORGHIVE_WEBAUTHN_ORIGINS: "${entry}" is not on BORGHIVE_WEBAUTHN_RP_ID "${rpId}" (nor a subdomain of it)`,
      );
      continue;
    }
    origins.push(url.origin);
  }
  if (rawOrigins.trim() === '') problems.push('BORGHIVE_WEBAUTHN_ORIGINS: name at least one origin');
  return { rpId, rpName, origins, off: null };
}
