import { ChannelDeliveryError, REDACTED, type AlertMessage, type ChannelDriver } from './channel-driver.js';
import { httpDeliver, statusText } from './http-delivery.js';
import { httpUrlProblem, SettingsReader } from './settings-reader.js';
import { redactUrl } from './url-redaction.js';

/**
 * Either Apprise URLs run through Debian's `apprise` CLI (`urls`), or an Apprise API server's notify
 * endpoint (`apiUrl`, e.g. http://apprise:8000/notify/<key>), optionally with URLs sent statelessly.
 */
export interface AppriseSettings {
  urls?: string[];
  apiUrl?: string;
  /** Apprise tag filter (the API server's stored configuration, or the CLI's --tag) */
  tag?: string;
}

/** `scheme://...`: Apprise's own URL syntax, schemes in lower case (tgram, mailto, json, ntfys...). */
const APPRISE_URL = /^[a-z][a-z0-9+.-]{1,31}:\/\/\S{1,2000}$/;
const TAG = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_URLS = 20;

const TYPE: Record<AlertMessage['state'], 'info' | 'success' | 'warning' | 'failure'> = {
  STALE: 'warning',
  FAILED: 'failure',
  RECOVERED: 'success',
  RUN_FAILED: 'failure',
  RUN_SUCCEEDED: 'success',
  DELETIONS: 'failure',
  KEY_CHANGED: 'failure',
  DIGEST: 'info',
  TEST: 'info',
};

/** Only the scheme of an Apprise URL is shown: tokens sit anywhere in them (host, path, user, query). */
function redactAppriseUrl(url: string): string {
  return `${url.slice(0, url.indexOf('://'))}://${REDACTED}`;
}

function readUrls(reader: SettingsReader): string[] | undefined {
  const raw = reader.value('urls');
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_URLS) {
    reader.fail('urls', `must be a list of 1 to ${MAX_URLS} Apprise URLs`);
    return undefined;
  }
  const urls: string[] = [];
  raw.forEach((value, i) => {
    if (typeof value !== 'string' || !APPRISE_URL.test(value.trim())) {
      reader.fail(`urls[${i}]`, 'must be an Apprise URL such as tgram://<token>/<chat> or json://host/path');
    } else if (value.includes(REDACTED) || value.toLowerCase().includes('%5bredacted%5d')) {
      reader.fail(`urls[${i}]`, `holds the placeholder ${REDACTED}: send the real value`);
    } else urls.push(value.trim());
  });
  return urls;
}

export const appriseChannel: ChannelDriver<AppriseSettings, 'APPRISE'> = {
  kind: 'APPRISE',

  validateSettings(raw) {
    const reader = new SettingsReader(raw, ['urls', 'apiUrl', 'tag']);
    const urls = readUrls(reader);
    const apiUrl = reader.optionalString('apiUrl', httpUrlProblem);
    const tag = reader.optionalString('tag', (v) =>
      TAG.test(v) ? null : 'must be 1 to 64 letters, digits, - or _',
    );
    if (urls === undefined && apiUrl === undefined && reader.value('urls') === undefined)
      reader.fail('urls', 'urls (run by the apprise CLI) or apiUrl (an Apprise API server) is required');
    return reader.finish({
      ...(urls === undefined ? {} : { urls }),
      ...(apiUrl === undefined ? {} : { apiUrl }),
      ...(tag === undefined ? {} : { tag }),
    });
  },

  async send(settings, message, ctx) {
    if (settings.apiUrl !== undefined) return sendToApi(settings.apiUrl, settings, message, ctx);
    const args = [
      '--title',
      message.title,
      '--body',
      message.body,
      '--notification-type',
      TYPE[message.state],
    ];
    if (settings.tag !== undefined) args.push('--tag', settings.tag);
    // `--` ends the options: a URL can never be read as one
    args.push('--', ...(settings.urls ?? []));
    // no shell, its own process group killed at the timeout, output bounded; an environment of its own
    // (the hive's variables, its database URL and secret file paths, are not the child's business)
    const result = await ctx.processes.run({
      program: ctx.appriseBin,
      args,
      env: { HOME: '/nonexistent', LANG: 'C.UTF-8' },
      timeoutMs: ctx.timeoutMs,
      killGraceMs: 1_000,
      maxOutputBytes: 64 * 1024,
    });
    if (result.spawnError !== null)
      throw new ChannelDeliveryError('the apprise program could not be run', result.spawnError);
    if (result.timedOut) throw new ChannelDeliveryError(`apprise did not finish within ${ctx.timeoutMs} ms`);
    if (result.code === 0) return;
    // apprise's own words name the failing service; its URLs (secrets) are not in them at this verbosity
    const said = result.stderr.trim().split('\n').pop()?.slice(0, 200) ?? '';
    throw new ChannelDeliveryError(`apprise failed (exit status ${result.code})`, said === '' ? null : said);
  },

  redact(settings) {
    return {
      ...(settings.urls === undefined ? {} : { urls: settings.urls.map(redactAppriseUrl) }),
      ...(settings.apiUrl === undefined ? {} : { apiUrl: redactUrl(settings.apiUrl) }),
      ...(settings.tag === undefined ? {} : { tag: settings.tag }),
    };
  },

  adminOnly(settings) {
    // the CLI is a separate process: the hive's outbound rules (public addresses only) cannot see
    // where its URLs connect, so only an admin, who could reach those addresses anyway, may set them
    return settings.urls !== undefined && settings.apiUrl === undefined
      ? 'Apprise URLs run by the apprise CLI reach addresses the hive cannot check: only an admin may set them (others: apiUrl)'
      : null;
  },
};

async function sendToApi(
  apiUrl: string,
  settings: AppriseSettings,
  message: AlertMessage,
  ctx: Parameters<ChannelDriver<AppriseSettings>['send']>[2],
): Promise<void> {
  const payload: Record<string, unknown> = {
    title: message.title,
    body: message.body,
    type: TYPE[message.state],
    format: 'text',
  };
  if (settings.urls !== undefined) payload.urls = settings.urls.join(',');
  if (settings.tag !== undefined) payload.tag = settings.tag;
  const { status } = await httpDeliver(ctx, 'the Apprise API server', new URL(apiUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'User-Agent': 'BorgHive' },
    body: JSON.stringify(payload),
  });
  if (status >= 200 && status <= 299) return;
  throw new ChannelDeliveryError('the Apprise API server rejected the message', statusText(status));
}
