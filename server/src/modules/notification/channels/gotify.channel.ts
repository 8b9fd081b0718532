import { ChannelDeliveryError, REDACTED, type ChannelDriver } from './channel-driver.js';
import { endpointUrl, httpDeliver, statusText } from './http-delivery.js';
import { httpUrlProblem, SettingsReader } from './settings-reader.js';
import { redactUrl } from './url-redaction.js';
import { isProblem } from './problem-states.js';

export interface GotifySettings {
  /** the Gotify server, e.g. https://push.example.org (a path prefix is kept) */
  server: string;
  /** an application token (secret) */
  token: string;
  /** 0..10; unset: 8 for problems, 4 otherwise */
  priority?: number;
}

const TOKEN = /^[A-Za-z0-9._-]{1,128}$/;

/** Gotify's message API (https://gotify.net/api-docs): POST /message with the app token in X-Gotify-Key. */
export const gotifyChannel: ChannelDriver<GotifySettings, 'GOTIFY'> = {
  kind: 'GOTIFY',

  validateSettings(raw) {
    const reader = new SettingsReader(raw, ['server', 'token', 'priority']);
    const server = reader.string('server', httpUrlProblem);
    const token = reader.string('token', (v) =>
      TOKEN.test(v) ? null : 'must be a Gotify application token',
    );
    const priority = reader.integer('priority', 0, 10);
    return reader.finish({ server, token, ...(priority === undefined ? {} : { priority }) });
  },

  async send(settings, message, ctx) {
    const problem = isProblem(message.state);
    const { status } = await httpDeliver(ctx, 'Gotify', endpointUrl(settings.server, 'message'), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'BorgHive',
        'X-Gotify-Key': settings.token,
      },
      body: JSON.stringify({
        title: message.title,
        message: message.body,
        priority: settings.priority ?? (problem ? 8 : 4),
        extras: { 'client::display': { contentType: 'text/plain' } },
      }),
    });
    if (status >= 200 && status <= 299) return;
    throw new ChannelDeliveryError('Gotify rejected the message', statusText(status));
  },

  redact(settings) {
    return { ...settings, server: redactUrl(settings.server), token: REDACTED };
  },
};
