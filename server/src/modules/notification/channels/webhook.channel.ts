import { createHmac } from 'node:crypto';
import { ChannelDeliveryError, REDACTED, type AlertMessage, type ChannelDriver } from './channel-driver.js';
import { httpDeliver, statusText } from './http-delivery.js';
import { httpUrlProblem, SettingsReader } from './settings-reader.js';
import { redactUrl } from './url-redaction.js';

export interface WebhookSettings {
  url: string;
  method: 'GET' | 'POST';
  secret?: string;
}

export const SIGNATURE_HEADER = 'X-BorgHive-Signature';
export const TIMESTAMP_HEADER = 'X-BorgHive-Timestamp';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const METHODS = ['GET', 'POST'] as const;
const MAX_SECRET = 256;

/**
 * Calls any URL. POST sends JSON `{ event, repository, lastBackupAt, createdAt, title, message }`;
 * GET sends the same fields in the query string (`repository` flattened to `repositoryId`,
 * `repositoryName`, `repositoryUrl`; null fields left out). With a secret, `X-BorgHive-Signature:
 * sha256=<hex HMAC-SHA256>` signs the exact request body (POST) or the exact query string after `?`
 * (GET), and `X-BorgHive-Timestamp` carries the sending time in Unix seconds. A delivery from the
 * outbox carries `Idempotency-Key` (the same on every retry of that delivery).
 */
export const webhookChannel: ChannelDriver<WebhookSettings, 'WEBHOOK'> = {
  kind: 'WEBHOOK',

  validateSettings(raw) {
    const reader = new SettingsReader(raw, ['url', 'method', 'secret']);
    const url = reader.string('url', httpUrlProblem);
    const method = reader.oneOf('method', METHODS) ?? 'POST';
    const secret = reader.optionalString('secret', (value) =>
      value.length > MAX_SECRET ? `at most ${MAX_SECRET} characters` : null,
    );
    return reader.finish({ url, method, ...(secret === undefined ? {} : { secret }) });
  },

  async send(settings, message, ctx) {
    const url = new URL(settings.url);
    const headers: Record<string, string> = { 'User-Agent': 'BorgHive' };
    if (message.deliveryKey !== undefined) headers[IDEMPOTENCY_HEADER] = message.deliveryKey;
    let body: string | undefined;
    if (settings.method === 'GET') {
      for (const [name, value] of Object.entries(queryFields(message))) url.searchParams.append(name, value);
    } else {
      body = JSON.stringify(jsonPayload(message));
      headers['Content-Type'] = 'application/json';
    }
    if (settings.secret !== undefined) {
      const signed = body ?? url.search.replace(/^\?/, '');
      headers[SIGNATURE_HEADER] =
        `sha256=${createHmac('sha256', settings.secret).update(signed).digest('hex')}`;
      headers[TIMESTAMP_HEADER] = String(Math.floor(Date.now() / 1000));
    }
    const answer = await httpDeliver(ctx, 'The webhook', url, { method: settings.method, headers, body });
    if (answer.status < 200 || answer.status > 299) {
      throw new ChannelDeliveryError('The webhook failed', statusText(answer.status));
    }
  },

  redact(settings) {
    return {
      ...settings,
      url: redactUrl(settings.url),
      ...(settings.secret ? { secret: REDACTED } : {}),
    };
  },
};

export function jsonPayload(message: AlertMessage): Record<string, unknown> {
  return {
    event: message.state,
    repository: message.repository,
    lastBackupAt: message.lastBackupAt?.toISOString() ?? null,
    createdAt: message.createdAt.toISOString(),
    title: message.title,
    message: message.body,
  };
}

function queryFields(message: AlertMessage): Record<string, string> {
  const { repository, lastBackupAt } = message;
  return {
    event: message.state,
    ...(repository && {
      repositoryId: repository.id,
      repositoryName: repository.name,
      repositoryUrl: repository.url,
    }),
    ...(lastBackupAt && { lastBackupAt: lastBackupAt.toISOString() }),
    createdAt: message.createdAt.toISOString(),
    title: message.title,
    message: message.body,
  };
}
