import { createTransport } from 'nodemailer';
import { ChannelDeliveryError, type ChannelDriver } from './channel-driver.js';
import { SettingsReader } from './settings-reader.js';

export interface EmailSettings {
  to: string[];
}

const MAX_RECIPIENTS = 20;
/** The HTML standard's "valid e-mail address" (what browsers accept in `<input type=email>`). */
const EMAIL_ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** E-mail through the hive's SMTP server (`BORGHIVE_SMTP_URL`). `to`: one address, a comma-separated list or an array. */
export const emailChannel: ChannelDriver<EmailSettings, 'EMAIL'> = {
  kind: 'EMAIL',

  validateSettings(raw) {
    const reader = new SettingsReader(raw, ['to']);
    const to = readRecipients(reader);
    return reader.finish({ to });
  },

  async send(settings, message, ctx) {
    if (ctx.smtp === null) {
      throw new ChannelDeliveryError('E-mail is not configured on this hive (set BORGHIVE_SMTP_URL)');
    }
    const transport = createTransport({
      url: ctx.smtp.url,
      connectionTimeout: ctx.timeoutMs,
      greetingTimeout: ctx.timeoutMs,
      socketTimeout: ctx.timeoutMs,
    });
    try {
      await transport.sendMail({
        from: ctx.smtp.from,
        to: settings.to,
        subject: message.title,
        text: message.body,
        date: message.createdAt,
        ...(message.deliveryKey === undefined ? {} : { messageId: `<${message.deliveryKey}@borg-hive>` }),
      });
    } catch (error) {
      throw new ChannelDeliveryError('E-mail delivery failed', smtpErrorText(error), {
        cause: error,
      });
    } finally {
      transport.close();
    }
  },

  redact(settings) {
    return { to: settings.to };
  },
};

function readRecipients(reader: SettingsReader): string[] {
  const raw = reader.value('to');
  const list =
    typeof raw === 'string'
      ? raw.split(',').map((part) => part.trim())
      : Array.isArray(raw)
        ? raw
        : undefined;
  if (list === undefined || list.length === 0 || (list.length === 1 && list[0] === '')) {
    reader.fail('to', raw === undefined ? 'is required' : 'must be an e-mail address or a list of them');
    return [];
  }
  if (list.length > MAX_RECIPIENTS) reader.fail('to', `at most ${MAX_RECIPIENTS} addresses`);
  const addresses: string[] = [];
  list.forEach((item: unknown, index) => {
    const field = Array.isArray(raw) ? `to[${index}]` : 'to';
    if (typeof item !== 'string' || !EMAIL_ADDRESS.test(item.trim())) {
      reader.fail(field, `${JSON.stringify(item)} is not an e-mail address`);
    } else {
      addresses.push(item.trim());
    }
  });
  return addresses;
}

/** The SMTP server's own reply line(s) when there is one, else nodemailer's description. */
function smtpErrorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details = error as Error & { response?: string; rejectedErrors?: { response?: string }[] };
  const rejected = (details.rejectedErrors ?? []).flatMap((e) =>
    e.response === undefined ? [] : [e.response],
  );
  if (rejected.length > 0) return rejected.join('; ');
  return details.response ?? error.message;
}
