import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { ManualClock } from '../../adapters/clock.js';
import type { TestHive } from '../../test-support/hive.js';
import { NotificationChannel } from '../notification/index.js';
import { startCaptureServer, type CaptureServer, testContext } from '../notification/testing.js';
import { DeliveryState } from './delivery-state.js';
import { DeliveryWorker } from './delivery-worker.js';
import { NotificationDelivery } from './notification-delivery.entity.js';
import {
  createChannel,
  createRepository,
  DAY,
  deliveryLog,
  emOf,
  HOUR,
  startAlertHive,
} from './testing/alert-hive.js';

const T0 = new Date('2026-04-01T00:00:00Z');

describe('delivery worker', () => {
  const clock = new ManualClock(T0);
  let hive: TestHive;
  let hook: CaptureServer;
  let alice: { id: string; token: string };

  /** A fresh stale repository served by a fresh webhook channel; returns the channel id after the alert fired. */
  async function alertOnNewChannel(name: string): Promise<string> {
    const repo = await createRepository(hive, alice.token, name, 1);
    const channelId = await createChannel(hive, alice.token, {
      name,
      kind: 'WEBHOOK',
      settings: { url: `${hook.baseUrl}/${name}` },
      repositoryIds: [repo.id],
    });
    clock.advance(DAY);
    const check = await hive.services.alerts.check(emOf(hive));
    assert.ok(check.deliveries >= 1);
    return channelId;
  }
  const requestsTo = (name: string) => hook.requests.filter((r) => r.url === `/${name}`);

  before(async () => {
    hook = await startCaptureServer();
    hive = await startAlertHive(clock, { env: { BORGHIVE_PUSHOVER_API_URL: hook.baseUrl } });
    alice = await hive.newUser('alice');
  });
  after(async () => {
    await hive?.dispose();
    await hook?.close();
  });

  it('retries a channel that is down with backoff, then delivers exactly once', async () => {
    let answered = 0;
    hook.reply((req) => {
      if (!req.url.startsWith('/flaky')) return { status: 200, body: '{}' };
      answered += 1;
      return answered <= 3 ? { status: 503, body: 'maintenance' } : { status: 200, body: '{}' };
    });
    const channelId = await alertOnNewChannel('flaky');
    assert.equal((await hive.services.deliveries.runOnce()).retrying, 1);
    assert.equal((await hive.services.deliveries.runOnce()).retrying, 0, 'not due again at once');
    const [pending] = await deliveryLog(hive, alice.token, channelId);
    assert.deepEqual(
      [pending?.state, pending?.attempts, pending?.lastError],
      ['PENDING', 1, 'The webhook failed: HTTP 503 Service Unavailable'],
    );
    for (const wait of [30_000, 60_000, 120_000]) {
      clock.advance(wait - 1000);
      assert.equal(
        (await hive.services.deliveries.runOnce()).retrying + (await hive.services.deliveries.runOnce()).sent,
        0,
        'backoff respected',
      );
      clock.advance(1000);
      await hive.services.deliveries.runOnce();
    }
    clock.advance(DAY);
    await hive.services.deliveries.runOnce();
    const sent = requestsTo('flaky');
    assert.equal(sent.length, 4, 'three refused attempts and one accepted');
    assert.equal(
      new Set(sent.map((r) => r.headers['idempotency-key'])).size,
      1,
      'one idempotency key for every attempt',
    );
    const [done] = await deliveryLog(hive, alice.token, channelId);
    assert.deepEqual([done?.state, done?.attempts, done?.lastError], ['SENT', 4, null]);
  });

  it('gives up after a day of retries and keeps the status', async () => {
    hook.reply((req) =>
      req.url === '/down' ? { status: 500, body: 'down for good' } : { status: 200, body: '{}' },
    );
    const channelId = await alertOnNewChannel('down');
    const started = clock.now().getTime();
    for (
      let i = 0;
      i < 40 && (await deliveryLog(hive, alice.token, channelId))[0]?.state === 'PENDING';
      i += 1
    ) {
      await hive.services.deliveries.runOnce();
      clock.advance(HOUR);
    }
    const [failed] = await deliveryLog(hive, alice.token, channelId);
    assert.equal(failed?.state, 'FAILED');
    assert.match(
      failed?.lastError ?? '',
      /^gave up after a day of retries: The webhook failed: HTTP 500 Internal Server Error$/,
    );
    assert.ok(clock.now().getTime() - started <= DAY + 2 * HOUR);
    assert.ok(requestsTo('down').length >= 10 && requestsTo('down').length <= 40);
  });

  it('fails at once, with a clear message, when the stored settings became invalid', async () => {
    const channelId = await alertOnNewChannel('broken');
    await emOf(hive).nativeUpdate(
      NotificationChannel,
      { id: Number(channelId) },
      { settings: { url: 'ftp://nowhere' } },
    );
    assert.equal((await hive.services.deliveries.runOnce()).failed, 1);
    const [failed] = await deliveryLog(hive, alice.token, channelId);
    assert.equal(failed?.state, 'FAILED');
    assert.match(failed?.lastError ?? '', /^Invalid channel settings: url: /);
    assert.equal(requestsTo('broken').length, 0);
  });

  it('a worker that dies between send and acknowledgement: the row is sent again once its claim lapses', async () => {
    hook.reply(() => ({ status: 200, body: '{}' }));
    const channelId = await alertOnNewChannel('crash');
    const [row] = await emOf(hive).find(NotificationDelivery, { channel: Number(channelId) });
    assert.ok(row);
    const doomed = new DeliveryWorker(
      hive.services.orm,
      clock,
      () => testContext(),
      hive.services.channels.secrets,
      pino({ level: 'silent' }),
      {
        workerId: 'doomed',
        leaseMs: 120_000,
      },
    );
    assert.equal(await doomed.claim(row.id), true);
    const attempt = await doomed.attempt(row.id);
    assert.equal(attempt.outcome, 'sent');
    // ... and the process is killed here: `doomed.record(attempt)` never runs.
    await hive.services.deliveries.runOnce();
    assert.equal(requestsTo('crash').length, 1, 'the claim still holds: nobody sends it meanwhile');
    clock.advance(121_000);
    await hive.services.deliveries.runOnce();
    const sent = requestsTo('crash');
    assert.equal(sent.length, 2, 'at-least-once: the receiver saw it twice');
    assert.equal(
      sent[0]?.headers['idempotency-key'],
      sent[1]?.headers['idempotency-key'],
      'with the same Idempotency-Key, so it can drop the repeat',
    );
    const stored = await emOf(hive).findOneOrFail(NotificationDelivery, { id: row.id });
    assert.deepEqual([stored.state, stored.attempts, stored.claimedBy], [DeliveryState.SENT, 1, null]);
  });

  it('rejects invalid channel settings field by field, and testNotificationChannel returns the provider text', async () => {
    const bad = await hive.gql(
      alice.token,
      'mutation($i:NotificationChannelInput!){createNotificationChannel(input:$i){id}}',
      {
        i: { name: 'po', kind: 'PUSHOVER', settings: { appToken: 'short', colour: 'red' } },
      },
    );
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const problems = bad.errors?.[0]?.extensions?.problems ?? [];
    assert.deepEqual(problems.map((p) => p.field).sort(), [
      'settings.appToken',
      'settings.colour',
      'settings.userKey',
    ]);
    assert.ok(
      problems.some((p) => p.field === 'settings.appToken' && p.message === 'must be 30 letters and digits'),
    );
    hook.reply(() => ({ status: 401, body: '{"status":0,"errors":["application token is invalid"]}' }));
    const test = await hive.gql(
      alice.token,
      'mutation($i:NotificationChannelInput!){testNotificationChannel(input:$i)}',
      {
        i: {
          name: 'po',
          kind: 'PUSHOVER',
          settings: { appToken: 'a'.repeat(30), userKey: 'u'.repeat(30) },
        },
      },
    );
    assert.equal(test.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(test.errors?.[0]?.message ?? '', /application token is invalid/);
  });
});
