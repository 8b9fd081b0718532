import { ChannelDeliveryError, REDACTED, type ChannelDriver } from './channel-driver.js';
import { endpointUrl, httpDeliver, parseJsonObject, statusText } from './http-delivery.js';
import { SettingsReader } from './settings-reader.js';

export interface TelegramSettings {
  /** the bot token BotFather gave (secret) */
  botToken: string;
  /** a numeric chat id (groups: negative) or @channelname */
  chatId: string;
  /** deliver without sound */
  silent?: boolean;
}

const BOT_TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/;
const CHAT_ID = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;

/**
 * The Bot API's sendMessage (https://core.telegram.org/bots/api#sendmessage) at the admin-set origin
 * (BORGHIVE_TELEGRAM_API_URL): the host is fixed, so its own error description may be shown.
 */
export const telegramChannel: ChannelDriver<TelegramSettings, 'TELEGRAM'> = {
  kind: 'TELEGRAM',

  validateSettings(raw) {
    const reader = new SettingsReader(raw, ['botToken', 'chatId', 'silent']);
    const botToken = reader.string('botToken', (v) =>
      BOT_TOKEN.test(v) ? null : 'must be a bot token as BotFather gives it (<digits>:<letters>)',
    );
    const chatIdRaw = reader.value('chatId');
    const chatId = reader.string('chatId', (v) =>
      CHAT_ID.test(v) ? null : 'must be a numeric chat id or @channelname',
    );
    if (typeof chatIdRaw === 'number') reader.fail('chatId', 'must be a string (ids exceed a safe number)');
    const silent = reader.value('silent');
    if (silent !== undefined && typeof silent !== 'boolean') reader.fail('silent', 'must be true or false');
    return reader.finish({ botToken, chatId, ...(silent === true ? { silent } : {}) });
  },

  async send(settings, message, ctx) {
    const url = endpointUrl(ctx.telegramApiUrl, `./bot${settings.botToken}/sendMessage`);
    const { status, body } = await httpDeliver(ctx, 'Telegram', url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'BorgHive' },
      body: JSON.stringify({
        chat_id: settings.chatId,
        text: `${message.title}\n\n${message.body}`,
        disable_notification: settings.silent ?? false,
        link_preview_options: { is_disabled: true },
      }),
    });
    const answer = parseJsonObject(body);
    if (status >= 200 && status <= 299 && answer?.ok === true) return;
    const description = typeof answer?.description === 'string' ? answer.description.slice(0, 200) : null;
    throw new ChannelDeliveryError('Telegram rejected the message', description ?? statusText(status));
  },

  redact(settings) {
    return { ...settings, botToken: REDACTED };
  },
};
