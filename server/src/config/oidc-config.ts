/** BORGHIVE_OIDC_*: sign-in through an OpenID Connect provider (contract §11). */
export interface OidcConfig {
  /** The issuer identifier; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** null: a public client (PKCE only, no client authentication at the token endpoint). */
  clientSecret: string | null;
  /** What the sign-in page shows: "Sign in with <name>". */
  name: string;
  scopes: string;
  /** The claim a new account's user name is made from (falls back to the e-mail's local part, then sub). */
  usernameClaim: string;
  /** An unknown `sub` becomes a new account; false: only accounts already linked (or linked by e-mail). */
  createUsers: boolean;
  /** An unknown `sub` with a verified e-mail is linked to the one account with that e-mail. */
  linkByEmail: boolean;
  /** A claim listing group names: each sign-in sets the user's hive groups to those named there. */
  groupsClaim: string | null;
  /** A value of the groups claim that makes the user an admin (and its absence takes admin away). */
  adminGroup: string | null;
  /** Password sign-in is off for everyone but admins. */
  only: boolean;
  /** Seconds of clock difference tolerated on the ID token's iat / exp / nbf. */
  clockToleranceSeconds: number;
  /** http:// is accepted for an issuer on the loopback interface only (tests, a provider on this host). */
  allowInsecure: boolean;
}

type Get = (name: string) => string | undefined;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function flag(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name} must be true or false, got "${raw}"`);
  return fallback;
}

const CLAIM = /^[A-Za-z_][A-Za-z0-9_.:/-]{0,99}$/;

/**
 * Reads the BORGHIVE_OIDC_* settings; null when OpenID Connect is off (no issuer and no other OIDC
 * setting). A setting without the issuer, or an issuer without the client id, is a problem, not a default.
 */
export function oidcConfigFrom(
  get: Get,
  env: Record<string, string | undefined>,
  problems: string[],
): OidcConfig | null {
  const issuerRaw = get('BORGHIVE_OIDC_ISSUER');
  const setOthers = Object.keys(env)
    .filter((k) => k.startsWith('BORGHIVE_OIDC_') && k !== 'BORGHIVE_OIDC_ISSUER' && env[k] !== '')
    .map((k) => k.replace(/_FILE$/, ''));
  if (issuerRaw === undefined) {
    if (setOthers.length > 0)
      problems.push(`${[...new Set(setOthers)].sort().join(', ')} set without BORGHIVE_OIDC_ISSUER`);
    return null;
  }
  let allowInsecure = false;
  const url = URL.canParse(issuerRaw) ? new URL(issuerRaw) : null;
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username) {
    problems.push(
      `BORGHIVE_OIDC_ISSUER must be an https URL (e.g. https://sso.example.com/realms/main), got "${issuerRaw}"`,
    );
  } else if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    problems.push('BORGHIVE_OIDC_ISSUER must use https (http is accepted for a provider on 127.0.0.1 only)');
  } else {
    allowInsecure = url.protocol === 'http:';
  }
  const clientId = get('BORGHIVE_OIDC_CLIENT_ID') ?? '';
  if (clientId === '') problems.push('BORGHIVE_OIDC_CLIENT_ID is required with BORGHIVE_OIDC_ISSUER');
  const claim = (name: string, fallback: string | null): string | null => {
    const value = get(name) ?? fallback;
    if (value !== null && !CLAIM.test(value)) problems.push(`${name} must be a claim name, got "${value}"`);
    return value;
  };
  const groupsClaim = claim('BORGHIVE_OIDC_GROUPS_CLAIM', null);
  const adminGroup = get('BORGHIVE_OIDC_ADMIN_GROUP') ?? null;
  if (adminGroup !== null && groupsClaim === null)
    problems.push(
      'BORGHIVE_OIDC_ADMIN_GROUP needs BORGHIVE_OIDC_GROUPS_CLAIM (the claim it is looked for in)',
    );
  const scopes = get('BORGHIVE_OIDC_SCOPES') ?? 'openid email profile';
  if (!scopes.split(/\s+/).includes('openid'))
    problems.push(`BORGHIVE_OIDC_SCOPES must include openid, got "${scopes}"`);
  const toleranceRaw = get('BORGHIVE_OIDC_CLOCK_TOLERANCE_SECONDS') ?? '30';
  const clockToleranceSeconds = Number(toleranceRaw);
  if (!/^\d+$/.test(toleranceRaw) || clockToleranceSeconds > 600)
    problems.push(
      `BORGHIVE_OIDC_CLOCK_TOLERANCE_SECONDS must be a whole number from 0 to 600, got "${toleranceRaw}"`,
    );
  const createUsers = flag('BORGHIVE_OIDC_CREATE_USERS', get('BORGHIVE_OIDC_CREATE_USERS'), true, problems);
  const linkByEmail = flag(
    'BORGHIVE_OIDC_LINK_BY_EMAIL',
    get('BORGHIVE_OIDC_LINK_BY_EMAIL'),
    false,
    problems,
  );
  const only = flag('BORGHIVE_OIDC_ONLY', get('BORGHIVE_OIDC_ONLY'), false, problems);
  if (only && !createUsers && !linkByEmail)
    problems.push(
      'BORGHIVE_OIDC_ONLY=true with BORGHIVE_OIDC_CREATE_USERS=false and no BORGHIVE_OIDC_LINK_BY_EMAIL leaves non-admins no way to sign in',
    );
  const name = (get('BORGHIVE_OIDC_NAME') ?? 'single sign-on').trim();
  if (name.length < 1 || name.length > 60) problems.push('BORGHIVE_OIDC_NAME must be 1 to 60 characters');
  return {
    issuer: issuerRaw,
    clientId,
    clientSecret: get('BORGHIVE_OIDC_CLIENT_SECRET') ?? null,
    name,
    scopes,
    usernameClaim: claim('BORGHIVE_OIDC_USERNAME_CLAIM', 'preferred_username') ?? 'preferred_username',
    createUsers,
    linkByEmail,
    groupsClaim,
    adminGroup,
    only,
    clockToleranceSeconds,
    allowInsecure,
  };
}
