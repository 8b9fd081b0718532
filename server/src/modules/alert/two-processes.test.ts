import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import type { TestHive } from '../../test-support/hive.js';
import { RepositoryEventType, RepositoryEvent } from '../repository/index.js';
import { startCaptureServer, type CaptureServer } from '../notification/testing.js';
import { DeliveryState } from './delivery-state.js';
import { NotificationDelivery } from './notification-delivery.entity.js';
import { createChannel, createRepository, DAY, emOf, startAlertHive } from './testing/alert-hive.js';

const REPOSITORIES = 20;

describe('two server processes on one MariaDB database', () => {
  const clock = new ManualClock(new Date('2026-05-01T00:00:00Z'));
  let first: TestHive;
  let second: TestHive;
  let hook: CaptureServer;

  before(async () => {
    hook = await startCaptureServer();
    first = await startAlertHive(clock, { dialect: 'mariadb' });
    second = await startAlertHive(clock, {
      dialect: 'mariadb',
      // processes sharing a database share the key of its secrets
      env: {
        BORGHIVE_DATABASE_URL: first.config.database.url,
        BORGHIVE_SECRET_KEY_FILE: first.config.secretKeyFile,
      },
    });
    const alice = await first.newUser('alice');
    for (let i = 0; i < REPOSITORIES; i += 1) await createRepository(first, alice.token, `repo-${i}`, 1);
    await createChannel(first, alice.token, {
      name: 'hook',
      kind: 'WEBHOOK',
      settings: { url: `${hook.baseUrl}/hook` },
    });
    await createChannel(second, alice.token, {
      name: 'ntfy',
      kind: 'NTFY',
      settings: { server: hook.baseUrl, topic: 'alerts' },
    });
  });
  after(async () => {
    await second?.dispose();
    await first?.dispose();
    await hook?.close();
  });

  it('check at the same time in both: each alert is recorded once', async () => {
    clock.advance(DAY);
    const reports = await Promise.all(
      [first, second, first, second].map((h) => h.services.alerts.check(emOf(h))),
    );
    assert.equal(
      reports.reduce((n, r) => n + r.alerts, 0),
      REPOSITORIES,
    );
    assert.equal(await emOf(first).count(RepositoryEvent, { type: RepositoryEventType.ALERT }), REPOSITORIES);
    assert.equal(await emOf(first).count(NotificationDelivery, {}), 2 * REPOSITORIES);
  });

  it('both workers at once deliver every alert to every channel exactly once', async () => {
    const reports = await Promise.all(
      [first, second, first, second].map((h) => h.services.deliveries.runOnce()),
    );
    assert.equal(
      reports.reduce((n, r) => n + r.sent, 0),
      2 * REPOSITORIES,
    );
    const hooks = hook.requests.filter((r) => r.url === '/hook');
    const ntfy = hook.requests.filter((r) => r.url === '/');
    assert.equal(hooks.length, REPOSITORIES);
    assert.equal(ntfy.length, REPOSITORIES);
    assert.equal(new Set(hooks.map((r) => r.headers['idempotency-key'])).size, REPOSITORIES);
    const names = new Set(
      hooks.map((r) => (JSON.parse(r.body) as { repository: { name: string } }).repository.name),
    );
    assert.equal(names.size, REPOSITORIES);
    assert.equal(
      await emOf(first).count(NotificationDelivery, { state: DeliveryState.SENT, attempts: 1 }),
      2 * REPOSITORIES,
    );
  });
});
