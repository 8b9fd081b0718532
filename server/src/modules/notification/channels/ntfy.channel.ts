import { ChannelDeliveryError, REDACTED, type AlertMessage, type ChannelDriver } from './channel-driver.js';
import { endpointUrl, httpDeliver, statusText } from './http-delivery.js';
import { httpUrlProblem, SettingsReader } from './settings-reader.js';
import { redactUrl } from './url-redaction.js';
import { isProblem } from './problem-states.js';

export interface NtfySettings {
  server: string;
  topic: string;
  token?: string;
  /** 1 (min) .. 5 (max); unset: 4 for stale alerts, 3 otherwise. */
  priority?: number;
}

const DEFAULT_SERVER = 'https://ntfy.sh';
const TOPIC = /^[-_A-Za-z0-9]{1,64}$/;
const TOKEN = /^\S{1,256}$/;
/** ntfy shows tags that name an emoji as that emoji. */
const TAGS: Record<AlertMessage['state'], string[]> = {
  STALE: ['warning', 'borg-hive'],
  FAILED: ['x', 'borg-hive'],
  RECOVERED: ['white_check_mark', 'borg-hive'],
  RUN_FAILED: ['x', 'borg-hive'],
  RUN_SUCCEEDED: ['heavy_check_mark', 'borg-hive'],
  DELETIONS: ['rotating_light', 'borg-hive'],
  KEY_CHANGED: ['rotating_light', 'borg-hive'],
  DIGEST: ['memo', 'borg-hive'],
  TEST: ['bell', 'borg-hive'],
};

/** ntfy JSON publishing (https://docs.ntfy.sh/publish/#publish-as-json): POST to the server root. */
export const ntfyChannel: ChannelDriver<NtfySettings, 'NTFY'> = {
  kind: 'NTFY',

  validateSettings(raw) {
    const reader = new SettingsReader(raw, ['server', 'topic', 'token', 'priority']);
    const server = reader.optionalString('server', httpUrlProblem) ?? DEFAULT_SERVER;
    const topic = reader.string('topic', (value) =>
      TOPIC.test(value) ? null : 'must be 1 to 64 letters, digits, - or _',
    );
    const token = reader.optionalString('token', (value) =>
      TOKEN.test(value) ? null : 'must be at most 256 characters without spaces',
    );
    const priority = reader.integer('priority', 1, 5);
    return reader.finish({
      server,
      topic,
      ...(token === undefined ? {} : { token }),
      ...(priority === undefined ? {} : { priority }),
    });
  },

  async send(settings, message, ctx) {
    const payload = {
      topic: settings.topic,
      title: message.title,
      message: message.body,
      priority: settings.priority ?? (isProblem(message.state) ? 4 : 3),
      tags: TAGS[message.state],
    };
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'BorgHive' };
    if (settings.token !== undefined) headers['Authorization'] = `Bearer ${settings.token}`;
    const url = endpointUrl(settings.server, '');
    const { status } = await httpDeliver(ctx, 'ntfy', url, {
      method: 'POST',
      headers,
      body: JSON.stringify(payload),
    });
    if (status >= 200 && status <= 299) return;
    // the server is the user's choice: its answer is not shown (it could be any service's)
    throw new ChannelDeliveryError('ntfy rejected the message', statusText(status));
  },

  redact(settings) {
    return {
      ...settings,
      server: redactUrl(settings.server).replace(/\/$/, settings.server.endsWith('/') ? '/' : ''),
      ...(settings.token === undefined ? {} : { token: REDACTED }),
    };
  },
};
