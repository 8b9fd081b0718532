import { ChannelDeliveryError, REDACTED, type AlertMessage, type ChannelDriver } from './channel-driver.js';
import { httpDeliver, statusText } from './http-delivery.js';
import { httpUrlProblem, SettingsReader } from './settings-reader.js';

export interface UptimeKumaSettings {
  /** the push monitor's URL, https://kuma.example.org/api/push/<token> (the token is a secret) */
  pushUrl: string;
}

const PUSH_PATH = /\/api\/push\/[A-Za-z0-9_-]{1,64}$/;

const STATUS: Record<AlertMessage['state'], 'up' | 'down'> = {
  STALE: 'down',
  FAILED: 'down',
  RECOVERED: 'up',
  RUN_FAILED: 'down',
  RUN_SUCCEEDED: 'up',
  DELETIONS: 'down',
  KEY_CHANGED: 'down',
  // a digest says nothing about one repository's state: it keeps the monitor up as a heartbeat
  DIGEST: 'up',
  TEST: 'up',
};

/**
 * An Uptime Kuma push monitor: GET <pushUrl>?status=up|down&msg=... A heartbeat per repository: one
 * channel per repository (repositoryIds: [it]) whose rules carry successes too, so every backup pushes
 * "up" and Kuma raises its own alarm when the pushes stop.
 */
export const uptimeKumaChannel: ChannelDriver<UptimeKumaSettings, 'UPTIME_KUMA'> = {
  kind: 'UPTIME_KUMA',

  validateSettings(raw) {
    const reader = new SettingsReader(raw, ['pushUrl']);
    const pushUrl = reader.string('pushUrl', (v) => {
      const problem = httpUrlProblem(v);
      if (problem !== null) return problem;
      const url = new URL(v);
      return PUSH_PATH.test(url.pathname) ? null : 'must be a push monitor URL ending in /api/push/<token>';
    });
    return reader.finish({ pushUrl });
  },

  async send(settings, message, ctx) {
    const url = new URL(settings.pushUrl);
    // the push URL Kuma shows carries ?status=up&msg=OK&ping= : ours replace them
    url.search = '';
    url.searchParams.set('status', STATUS[message.state]);
    url.searchParams.set('msg', message.title.slice(0, 250));
    url.searchParams.set('ping', '');
    const { status } = await httpDeliver(ctx, 'Uptime Kuma', url, {
      method: 'GET',
      headers: { 'User-Agent': 'BorgHive' },
    });
    if (status >= 200 && status <= 299) return;
    throw new ChannelDeliveryError('Uptime Kuma rejected the heartbeat', statusText(status));
  },

  redact(settings) {
    const url = new URL(settings.pushUrl);
    return { pushUrl: `${url.origin}${url.pathname.replace(/[^/]+$/, REDACTED)}` };
  },
};
