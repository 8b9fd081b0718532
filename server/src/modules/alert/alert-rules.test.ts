import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import { dialects } from '../../test-support/databases.js';
import { codeOf } from '../../test-support/factories.js';
import type { TestHive } from '../../test-support/hive.js';
import { startCaptureServer, type CaptureServer } from '../notification/testing.js';
import { createChannel, createRepository, DAY, emOf, HOUR, startAlertHive } from './testing/alert-hive.js';

const CHANNEL = 'mutation($i:NotificationChannelInput!){createNotificationChannel(input:$i){id rules}}';

/** Per-channel alert rules over the real outbox and worker (contract §10's issue, #16). */
for (const dialect of dialects) {
  describe(`alert rules per channel on ${dialect}`, () => {
    // a Wednesday, 10:00 UTC
    const clock = new ManualClock(new Date('2026-04-01T10:00:00Z'));
    let hive: TestHive;
    let hook: CaptureServer;
    let rita: { id: string; token: string };
    let repo: { id: string; pingUrl: string };
    const seen = (path: string) =>
      hook.requests
        .filter((r) => r.url === `/${path}`)
        .map((r) => (JSON.parse(r.body) as { event: string; title: string }).event);
    const channel = (name: string, rules?: Record<string, unknown>) =>
      createChannel(hive, rita.token, {
        name,
        kind: 'WEBHOOK',
        settings: { url: `${hook.baseUrl}/${name}` },
        repositoryIds: [repo.id],
        ...(rules === undefined ? {} : { rules }),
      } as Parameters<typeof createChannel>[2]);
    const ping = async (path = '') => {
      const res = await fetch(`${repo.pingUrl}${path}`, { method: 'POST' });
      assert.equal(res.status, 200);
    };
    const deliver = () => hive.services.deliveries.runOnce();

    before(async () => {
      hook = await startCaptureServer();
      hive = await startAlertHive(clock, { dialect });
      rita = await hive.newUser('rita');
      repo = await createRepository(hive, rita.token, 'laptop', 1);
      await channel('defaults');
      await channel('runs', { events: ['RUN_FAILED', 'RUN_SUCCEEDED'] });
      await channel('once', { events: ['STALE'], repeat: false });
      await channel('night', { quietHours: { start: '09:00', end: '17:00' }, timeZone: 'Europe/Berlin' });
      await channel('digest', {
        events: ['RUN_FAILED', 'RUN_SUCCEEDED'],
        digestAt: '18:00',
        timeZone: 'UTC',
      });
    });
    after(async () => {
      await hive?.dispose();
      await hook?.close();
    });

    it('reported runs: FAILED once per incident, every run where asked; quiet hours hold theirs', async () => {
      await ping('/fail');
      await ping('/1');
      await deliver();
      assert.deepEqual(seen('defaults'), ['FAILED'], 'one message for two failed runs');
      assert.deepEqual(seen('runs'), ['RUN_FAILED', 'RUN_FAILED'], 'every failed run');
      assert.deepEqual(seen('night'), [], 'quiet until 17:00 in Berlin');
      assert.deepEqual(seen('once'), [], 'STALE only');
      clock.advance(5 * HOUR); // 15:00 UTC = 17:00 in Berlin (CEST)
      await deliver();
      assert.deepEqual(seen('night'), ['FAILED']);
    });

    it('a success after the failure: RECOVERED where carried, RUN_SUCCEEDED where runs are asked for', async () => {
      await ping();
      await deliver();
      assert.deepEqual(seen('runs'), ['RUN_FAILED', 'RUN_FAILED', 'RUN_SUCCEEDED']);
      assert.deepEqual(seen('night').at(-1), 'RECOVERED');
      assert.ok(seen('defaults').includes('RECOVERED'));
    });

    it('a daily digest: one message at 18:00 listing every run since', async () => {
      assert.deepEqual(seen('digest'), []);
      clock.advance(3 * HOUR); // 18:00 UTC
      await deliver();
      const digests = hook.requests.filter((r) => r.url === '/digest');
      assert.equal(digests.length, 1, 'one message for three runs');
      const body = JSON.parse(digests[0]!.body) as { event: string; title: string; message: string };
      assert.deepEqual([body.event, body.title], ['DIGEST', 'Borg Hive digest: 3 messages']);
      assert.equal(body.message.split('\n').length, 3);
    });

    it('stale: the first alert everywhere it is carried, repeats only where repeat is on', async () => {
      clock.advance(DAY + HOUR); // stale after 1 day without backup
      await hive.services.alerts.check(emOf(hive));
      await deliver();
      clock.advance(13 * HOUR); // the owner's default repeat interval (12 h) passed
      await hive.services.alerts.check(emOf(hive));
      await deliver();
      clock.advance(DAY); // past any quiet hours
      await deliver();
      assert.deepEqual(seen('once'), ['STALE'], 'one message per incident');
      assert.equal(seen('defaults').filter((e) => e === 'STALE').length, 2, 'the original’s repeat');
      assert.deepEqual(seen('runs'), ['RUN_FAILED', 'RUN_FAILED', 'RUN_SUCCEEDED'], 'no stale alerts');
    });

    it('refuses bad rules field by field and shows the rules as they apply', async () => {
      const bad = await hive.gql(rita.token, CHANNEL, {
        i: {
          name: 'bad',
          kind: 'WEBHOOK',
          settings: { url: `${hook.baseUrl}/bad` },
          rules: { events: ['SOMETIMES'], timeZone: 'Nowhere/Land' },
        },
      });
      assert.equal(codeOf(bad), 'BAD_USER_INPUT');
      const fields = (
        bad.errors?.[0]?.extensions as { problems?: { field: string }[] } | undefined
      )?.problems?.map((p) => p.field);
      assert.deepEqual(fields, ['rules.events', 'rules.timeZone']);
      const good = await hive.gql<{ createNotificationChannel: { rules: Record<string, unknown> } }>(
        rita.token,
        CHANNEL,
        { i: { name: 'good', kind: 'WEBHOOK', settings: { url: `${hook.baseUrl}/good` } } },
      );
      assert.deepEqual(good.data?.createNotificationChannel.rules, {
        events: ['STALE', 'FAILED', 'RECOVERED', 'DELETIONS'],
        repeat: true,
        quietHours: null,
        digestAt: null,
        timeZone: 'UTC',
      });
    });

    it('an update without rules keeps them; null puts back the defaults', async () => {
      const UPDATE =
        'mutation($id:ID!,$i:NotificationChannelInput!){updateNotificationChannel(id:$id,input:$i){rules}}';
      const created = await hive.gql<{ createNotificationChannel: { id: string } }>(rita.token, CHANNEL, {
        i: {
          name: 'edit',
          kind: 'WEBHOOK',
          settings: { url: `${hook.baseUrl}/edit` },
          rules: { repeat: false },
        },
      });
      const id = created.data!.createNotificationChannel.id;
      const base = { name: 'edited', kind: 'WEBHOOK', settings: { url: `${hook.baseUrl}/edit` } };
      const kept = await hive.gql<{ updateNotificationChannel: { rules: { repeat: boolean } } }>(
        rita.token,
        UPDATE,
        { id, i: base },
      );
      assert.equal(kept.data?.updateNotificationChannel.rules.repeat, false);
      const reset = await hive.gql<{ updateNotificationChannel: { rules: { repeat: boolean } } }>(
        rita.token,
        UPDATE,
        { id, i: { ...base, rules: null } },
      );
      assert.equal(reset.data?.updateNotificationChannel.rules.repeat, true);
    });
  });
}
