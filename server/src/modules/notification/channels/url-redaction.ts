import { REDACTED } from './channel-driver.js';

/**
 * Path segments that are secrets for known receivers: everything after Slack's `/services/`, the token
 * after Discord's `/api/webhooks/<id>/`, the key after `/hooks/` (Mattermost, Rocket.Chat, Zulip...)
 * and Telegram's `/bot<token>`.
 */
function secretSegments(host: string, segments: readonly string[]): Set<number> {
  const secret = new Set<number>();
  segments.forEach((segment, i) => {
    const previous = segments[i - 1]?.toLowerCase();
    if (host === 'hooks.slack.com' && segments[0] === 'services' && i > 0) secret.add(i);
    else if (/(^|\.)discord(app)?\.com$/.test(host) && segments[1] === 'webhooks' && i >= 3) secret.add(i);
    else if (previous === 'hooks' && segment !== '') secret.add(i);
    else if (host === 'api.telegram.org' && /^bot./.test(segment)) secret.add(i);
  });
  return secret;
}

/**
 * The URL as the API shows it: the password, every query value and the path tokens of known receivers
 * replaced by `[redacted]`. Sending this exact text back in an update keeps the stored URL.
 */
export function redactUrl(value: string): string {
  const url = new URL(value);
  const host = url.hostname.toLowerCase();
  const user = url.username === '' ? '' : `${url.username}${url.password === '' ? '' : `:${REDACTED}`}@`;
  const segments = url.pathname.split('/').slice(1);
  const secret = secretSegments(host, segments);
  const path = segments.map((s, i) => (secret.has(i) ? REDACTED : s)).join('/');
  const query = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=${REDACTED}`).join('&');
  return `${url.protocol}//${user}${url.host}/${path}${query === '' ? '' : `?${query}`}`;
}

/** True when a submitted value still holds the placeholder (as typed or percent-encoded). */
export function holdsPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  return lower.includes(REDACTED) || lower.includes('%5bredacted%5d');
}
