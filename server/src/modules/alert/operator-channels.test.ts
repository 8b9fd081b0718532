import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import { codeOf } from '../../test-support/factories.js';
import { User } from '../user/index.js';
import type { TestHive } from '../../test-support/hive.js';
import { startCaptureServer, type CaptureServer } from '../notification/testing.js';
import {
  createChannel,
  createRepository,
  DAY,
  deliveryLog,
  emOf,
  startAlertHive,
} from './testing/alert-hive.js';

const T0 = new Date('2026-04-01T00:00:00Z');
const BOT = '123456789:AAE_secret-bot-token-abcdefghijklmn';

/** The operators’ channels (#16) through the real outbox: alert, delivery worker, retries, redaction. */
describe('Apprise, Telegram and Matrix channels through the outbox', () => {
  const clock = new ManualClock(T0);
  let hive: TestHive;
  let hook: CaptureServer;
  let olga: { id: string; token: string };

  before(async () => {
    hook = await startCaptureServer();
    hive = await startAlertHive(clock, { env: { BORGHIVE_TELEGRAM_API_URL: hook.baseUrl } });
    olga = await hive.newUser('olga');
  });
  after(async () => {
    await hive?.dispose();
    await hook?.close();
  });

  /** A repository that turns stale a day later, served by one channel; returns the channel id. */
  async function staleWith(token: string, name: string, kind: string, settings: Record<string, unknown>) {
    const repo = await createRepository(hive, token, name, 1);
    const channelId = await createChannel(hive, token, { name, kind, settings, repositoryIds: [repo.id] });
    clock.advance(DAY + 1000);
    const check = await hive.services.alerts.check(emOf(hive));
    assert.ok(check.deliveries >= 1, 'the alert reached the outbox');
    return channelId;
  }

  it('retries a Matrix homeserver that is down with the same transaction id, then delivers once', async () => {
    let answered = 0;
    hook.reply((req) => {
      if (!req.url.includes('/rooms/')) return { status: 200, body: '{"ok":true}' };
      answered += 1;
      return answered <= 2
        ? { status: 502, body: 'bad gateway' }
        : { status: 200, body: '{"event_id":"$e"}' };
    });
    const channelId = await staleWith(olga.token, 'matrix-flaky', 'MATRIX', {
      homeserver: hook.baseUrl,
      accessToken: 'syt_olga_secret',
      roomId: '!ops:example.org',
    });
    await hive.services.deliveries.runOnce();
    const [pending] = await deliveryLog(hive, olga.token, channelId);
    assert.deepEqual(
      [pending?.state, pending?.attempts, pending?.lastError],
      ['PENDING', 1, 'the Matrix homeserver rejected the message: HTTP 502 Bad Gateway'],
    );
    // the metrics show the channel failing (what the documented BorgHiveChannelFailing rule reads)
    const text = Buffer.concat(await (await hive.metrics.render()).text()).toString();
    assert.match(
      text,
      /^borghive_notification_channel_deliveries\{channel="matrix-flaky",kind="MATRIX",state="PENDING",retrying="true"\} 1$/m,
    );
    for (let i = 0; i < 2; i++) {
      clock.advance(DAY / 2);
      await hive.services.deliveries.runOnce();
    }
    const puts = hook.requests.filter((r) => r.url.includes('/rooms/'));
    assert.equal(puts.length, 3, 'two refused attempts and one accepted');
    assert.equal(new Set(puts.map((r) => r.url)).size, 1, 'one transaction id for every attempt');
    const [done] = await deliveryLog(hive, olga.token, channelId);
    assert.deepEqual([done?.state, done?.attempts], ['SENT', 3]);
  });

  it('sends to Telegram at BORGHIVE_TELEGRAM_API_URL and never shows the bot token', async () => {
    hook.reply(() => ({ status: 200, body: '{"ok":true,"result":{}}' }));
    const channelId = await staleWith(olga.token, 'telegram', 'TELEGRAM', {
      botToken: BOT,
      chatId: '@olga_ops',
    });
    await hive.services.deliveries.runOnce();
    assert.equal(hook.requests.filter((r) => r.url === `/bot${BOT}/sendMessage`).length, 1);
    const [sent] = await deliveryLog(hive, olga.token, channelId);
    assert.equal(sent?.state, 'SENT');
    const shown = await hive.gql<{
      notificationChannels: { name: string; settings: Record<string, unknown> }[];
    }>(olga.token, '{notificationChannels{name settings}}');
    const telegram = shown.data?.notificationChannels.find((c) => c.name === 'telegram');
    assert.deepEqual(telegram?.settings, { botToken: '[redacted]', chatId: '@olga_ops' });
  });

  it('delivers through the real apprise CLI for an admin’s channel; others may not run the CLI', async () => {
    hook.reply(() => ({ status: 200, body: '{}' }));
    const port = new URL(hook.baseUrl).port;
    const settings = { urls: [`json://127.0.0.1:${port}/apprise-outbox`] };
    const refused = await hive.gql(
      olga.token,
      'mutation($i:NotificationChannelInput!){createNotificationChannel(input:$i){id}}',
      { i: { name: 'mine', kind: 'APPRISE', settings } },
    );
    assert.equal(codeOf(refused), 'FORBIDDEN');
    const channelId = await staleWith(hive.adminToken, 'apprise', 'APPRISE', settings);
    await hive.services.deliveries.runOnce();
    const posted = hook.requests.filter((r) => r.url === '/apprise-outbox');
    assert.equal(posted.length, 1);
    assert.equal((JSON.parse(posted[0]!.body) as { type: string }).type, 'warning');
    const [sent] = await deliveryLog(hive, hive.adminToken, channelId);
    assert.equal(sent?.state, 'SENT');
  });

  it('refuses (fails closed) an apprise CLI channel whose owner is no longer an admin, and says why', async () => {
    hook.reply(() => ({ status: 200, body: '{}' }));
    const ada = await hive.newUser('ada', { isAdmin: true });
    const port = new URL(hook.baseUrl).port;
    const settings = { urls: [`json://127.0.0.1:${port}/apprise-demoted`] };
    const repo = await createRepository(hive, ada.token, 'ada-repo', 1);
    const channelId = await createChannel(hive, ada.token, {
      name: 'ada-apprise',
      kind: 'APPRISE',
      settings,
      repositoryIds: [repo.id],
    });
    // her admin rights go (as `borg-hive user` or a directory sync would take them) before the alert
    await emOf(hive).nativeUpdate(User, { id: Number(ada.id) }, { isAdmin: false });
    clock.advance(DAY + 1000);
    assert.ok((await hive.services.alerts.check(emOf(hive))).deliveries >= 1);
    await hive.services.deliveries.runOnce();
    assert.equal(hook.requests.filter((r) => r.url === '/apprise-demoted').length, 0, 'nothing sent');
    const [refused] = await deliveryLog(hive, hive.adminToken, channelId);
    assert.equal(refused?.state, 'FAILED');
    assert.match(
      refused?.lastError ?? '',
      /^refused: the owner \(ada\) is no longer an admin, and Apprise URLs run by the apprise CLI/,
    );
  });
});
