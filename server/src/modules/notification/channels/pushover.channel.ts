import { ChannelDeliveryError, REDACTED, type ChannelDriver } from './channel-driver.js';
import { endpointUrl, httpDeliver, parseJsonObject, statusText } from './http-delivery.js';
import { SettingsReader } from './settings-reader.js';

export interface PushoverSettings {
  appToken: string;
  userKey: string;
  /** -2 (no notification) .. 1 (high); 2 (emergency) needs retry/expire and is not offered. */
  priority?: number;
}

const KEY = /^[A-Za-z0-9]{30}$/;
// Pushover's limits: title 250 characters, message 1024.
const MAX_TITLE = 250;
const MAX_MESSAGE = 1024;

/**
 * Pushover Message API: https://pushover.net/api (POST form to `/1/messages.json`). The API host is the
 * hive's (`BORGHIVE_PUSHOVER_API_URL`), so Pushover's own error list is shown as it is.
 */
export const pushoverChannel: ChannelDriver<PushoverSettings, 'PUSHOVER'> = {
  kind: 'PUSHOVER',

  validateSettings(raw) {
    const reader = new SettingsReader(raw, ['appToken', 'userKey', 'priority', 'baseUrl']);
    const keyProblem = (value: string) => (KEY.test(value) ? null : 'must be 30 letters and digits');
    const appToken = reader.string('appToken', keyProblem);
    const userKey = reader.string('userKey', keyProblem);
    const priority = reader.integer('priority', -2, 1);
    if (reader.value('baseUrl') !== undefined)
      reader.fail('baseUrl', "is the hive admin's setting (BORGHIVE_PUSHOVER_API_URL), not a channel's");
    return reader.finish({ appToken, userKey, ...(priority === undefined ? {} : { priority }) });
  },

  async send(settings, message, ctx) {
    const form = new URLSearchParams({
      token: settings.appToken,
      user: settings.userKey,
      title: clip(message.title, MAX_TITLE),
      message: clip(message.body, MAX_MESSAGE),
      timestamp: String(Math.floor(message.createdAt.getTime() / 1000)),
    });
    if (settings.priority !== undefined) form.set('priority', String(settings.priority));
    const url = endpointUrl(ctx.pushoverApiUrl, '1/messages.json');
    const { status, body } = await httpDeliver(ctx, 'Pushover', url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8',
        'User-Agent': 'BorgHive',
      },
      body: form.toString(),
    });
    const answer = parseJsonObject(body);
    if (status === 200 && answer?.['status'] === 1) return;
    const reported = answer?.['errors'];
    const errors = Array.isArray(reported) ? reported.slice(0, 5).map((e) => String(e).slice(0, 200)) : [];
    throw new ChannelDeliveryError(
      `Pushover rejected the message (HTTP ${status})`,
      errors.length > 0 ? errors.join('; ') : statusText(status),
    );
  },

  redact(settings) {
    return { ...settings, appToken: REDACTED, userKey: REDACTED };
  },
};

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
