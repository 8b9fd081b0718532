import type { AlertMessage, ChannelContext, ChannelDriver } from './channel-driver.js';
import { emailChannel } from './email.channel.js';
import { ntfyChannel } from './ntfy.channel.js';
import { pushoverChannel } from './pushover.channel.js';
import { webhookChannel } from './webhook.channel.js';
import { appriseChannel } from './apprise.channel.js';
import { gotifyChannel } from './gotify.channel.js';
import { telegramChannel } from './telegram.channel.js';
import { matrixChannel } from './matrix.channel.js';
import { uptimeKumaChannel } from './uptime-kuma.channel.js';

/** Accepts a registry only when each driver's `kind` equals its key. */
function defineChannels<R extends { [K in keyof R]: ChannelDriver<unknown, K & string> }>(drivers: R): R {
  return drivers;
}

/** Every notification channel kind. Adding one: a `<kind>.channel.ts` file plus one line here. */
export const channelDrivers = defineChannels({
  EMAIL: emailChannel,
  PUSHOVER: pushoverChannel,
  WEBHOOK: webhookChannel,
  NTFY: ntfyChannel,
  APPRISE: appriseChannel,
  GOTIFY: gotifyChannel,
  TELEGRAM: telegramChannel,
  MATRIX: matrixChannel,
  UPTIME_KUMA: uptimeKumaChannel,
});

export type NotificationKind = keyof typeof channelDrivers;

export const notificationKinds = Object.keys(channelDrivers) as NotificationKind[];

export function isNotificationKind(value: string): value is NotificationKind {
  return Object.hasOwn(channelDrivers, value);
}

/** A channel whose settings passed validation, ready to send. */
export interface ConfiguredChannel {
  kind: NotificationKind;
  /** The settings as the API may show them (secrets hidden). */
  redacted: Record<string, unknown>;
  /** Why only an admin may save or test these settings, or null. */
  adminOnly: string | null;
  send(message: AlertMessage, ctx: ChannelContext): Promise<void>;
}

/**
 * Validates stored or submitted settings for `kind` (throws `ChannelSettingsError` listing every
 * problem) and binds them to the driver, so unvalidated settings can never reach `send`.
 */
export function configureChannel(kind: NotificationKind, rawSettings: unknown): ConfiguredChannel {
  return bind<unknown>(kind, channelDrivers[kind], rawSettings);
}

function bind<S>(kind: NotificationKind, driver: ChannelDriver<S>, rawSettings: unknown): ConfiguredChannel {
  const settings = driver.validateSettings(rawSettings);
  return {
    kind,
    redacted: driver.redact(settings),
    adminOnly: driver.adminOnly?.(settings) ?? null,
    send: (message, ctx) => driver.send(settings, message, ctx),
  };
}

/**
 * Submitted settings with every field that is exactly what the API shows for the stored settings (a
 * secret's `[redacted]`, a URL with its tokens redacted) replaced by the stored value: an update that
 * sends back what it was shown keeps the stored secrets, and the placeholder is never stored.
 */
export function restoreRedacted(
  kind: NotificationKind,
  submitted: Record<string, unknown>,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  let shown: Record<string, unknown>;
  try {
    shown = configureChannel(kind, stored).redacted;
  } catch {
    return submitted; // stored settings no longer valid: nothing to keep
  }
  const restored = { ...submitted };
  for (const [field, value] of Object.entries(submitted)) {
    if (Object.hasOwn(stored, field) && JSON.stringify(shown[field]) === JSON.stringify(value)) {
      restored[field] = stored[field];
    }
  }
  return restored;
}
