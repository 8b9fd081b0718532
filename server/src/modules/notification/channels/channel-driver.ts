import type { ProcessRunner } from '../../../adapters/process/process-runner.js';
import type { OutboundHttp } from '../../../adapters/outbound/outbound-http.js';

/** What every notification channel receives: one alert, recovery or test, already worded. */
export interface AlertMessage {
  /**
   * STALE, FAILED (the repository turned FAILED), RECOVERED, RUN_FAILED / RUN_SUCCEEDED (one reported
   * run), DELETIONS (many archives deleted at once) and KEY_CHANGED (a borg 2 key object came or went),
   * DIGEST (a daily digest of several), TEST.
   */
  state:
    | 'STALE'
    | 'FAILED'
    | 'RECOVERED'
    | 'RUN_FAILED'
    | 'RUN_SUCCEEDED'
    | 'DELETIONS'
    | 'KEY_CHANGED'
    | 'DIGEST'
    | 'TEST';
  title: string;
  body: string;
  repository: { id: string; name: string; url: string } | null;
  lastBackupAt: Date | null;
  createdAt: Date;
  /**
   * The same for every attempt of one delivery: receivers that honour it (webhook `Idempotency-Key`,
   * the e-mail Message-ID) can drop a repeat sent after a crash between send and acknowledgement.
   */
  deliveryKey?: string;
}

/** The outside world a driver may use; passed per call so tests point drivers at local servers. */
export interface ChannelContext {
  /** `null` when the hive has no SMTP configured: e-mail channels then fail with a clear message. */
  smtp: { url: string; from: string } | null;
  /** HTTP to URLs users chose, refusing non-public addresses unless an admin allowed them. */
  http: OutboundHttp;
  /** Pushover's API origin: an admin setting (`BORGHIVE_PUSHOVER_API_URL`), never a channel's. */
  pushoverApiUrl: string;
  /** Telegram's Bot API origin: an admin setting (`BORGHIVE_TELEGRAM_API_URL`), never a channel's. */
  telegramApiUrl: string;
  /** Runs the apprise CLI (`BORGHIVE_APPRISE_BIN`) with an argument array, never a shell. */
  processes: ProcessRunner;
  appriseBin: string;
  /** Budget for one delivery (connect, send, read the answer), in milliseconds. */
  timeoutMs: number;
}

/**
 * One kind of notification channel. `K` is the kind's name, the key it has in the channel registry.
 * Settings arrive as untrusted JSON: `validateSettings` is the only way to obtain an `S`.
 */
export interface ChannelDriver<S, K extends string = string> {
  readonly kind: K;
  /** Checks every field and throws a `ChannelSettingsError` listing every problem; returns normalised settings. */
  validateSettings(raw: unknown): S;
  /** Delivers the message or throws a `ChannelDeliveryError` carrying the provider's own error text. */
  send(settings: S, message: AlertMessage, ctx: ChannelContext): Promise<void>;
  /** Settings safe to show in the API: secrets replaced by `REDACTED` or omitted. */
  redact(settings: S): Record<string, unknown>;
  /**
   * Why only an admin may save or test these settings (e.g. they make the hive reach addresses its
   * outbound rules cannot check), or null. Absent: anyone may.
   */
  adminOnly?(settings: S): string | null;
}

/** Stands in for a secret in redacted settings. */
export const REDACTED = '[redacted]';

export interface FieldError {
  field: string;
  message: string;
}

export class ChannelSettingsError extends Error {
  override readonly name = 'ChannelSettingsError';

  constructor(readonly fieldErrors: readonly FieldError[]) {
    super(`Invalid channel settings: ${fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  }
}

/**
 * A delivery failed. `providerText` says what went wrong in words the hive chose (HTTP status, network
 * error code) or, for providers at fixed admin-set hosts (SMTP, Pushover), their own error text; never
 * the body of an answer from a URL a user chose.
 */
export class ChannelDeliveryError extends Error {
  override readonly name = 'ChannelDeliveryError';

  constructor(
    message: string,
    readonly providerText: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(providerText === null ? message : `${message}: ${providerText}`, options);
  }
}
