import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import { dialects } from '../../test-support/databases.js';
import type { TestHive } from '../../test-support/hive.js';
import { startCaptureServer, type CaptureServer } from '../notification/testing.js';
import {
  createChannel,
  createRepository,
  DAY,
  deliveryLog,
  HOUR,
  runAlerts,
  startAlertHive,
} from './testing/alert-hive.js';

const UPDATE =
  'mutation($id:ID!,$i:NotificationChannelInput!){updateNotificationChannel(id:$id,input:$i){repositories{id}}}';
const TEST_STORED = 'mutation($id:ID!){testNotificationChannel(id:$id)}';

/** A channel's repository limit through updateNotificationChannel, and a test through a stored channel (#16). */
for (const dialect of dialects) {
  describe(`a channel's repository limit and its test message on ${dialect}`, () => {
    const clock = new ManualClock(new Date('2026-04-01T10:00:00Z'));
    let hive: TestHive;
    let hook: CaptureServer;
    let rita: { id: string; token: string };
    let laptop: { id: string; pingUrl: string };
    let server: { id: string; pingUrl: string };
    let channelId: string;
    const settings = () => ({ url: `${hook.baseUrl}/limited` });
    const update = async (repositoryIds?: string[] | null) => {
      const r = await hive.gql<{ updateNotificationChannel: { repositories: { id: string }[] } }>(
        rita.token,
        UPDATE,
        {
          id: channelId,
          i: {
            name: 'limited',
            kind: 'WEBHOOK',
            settings: settings(),
            ...(repositoryIds === undefined ? {} : { repositoryIds }),
          },
        },
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return r.data!.updateNotificationChannel.repositories.map((x) => x.id).sort();
    };
    const listed = async () => {
      const r = await hive.gql<{ notificationChannels: { id: string; repositories: { id: string }[] }[] }>(
        rita.token,
        '{notificationChannels{id repositories{id}}}',
      );
      return (r.data?.notificationChannels.find((c) => c.id === channelId)?.repositories ?? [])
        .map((x) => x.id)
        .sort();
    };

    before(async () => {
      hook = await startCaptureServer();
      hive = await startAlertHive(clock, { dialect });
      rita = await hive.newUser('rita');
      laptop = await createRepository(hive, rita.token, 'laptop', 1);
      server = await createRepository(hive, rita.token, 'server', 1);
      channelId = await createChannel(hive, rita.token, {
        name: 'limited',
        kind: 'WEBHOOK',
        settings: settings(),
        repositoryIds: [laptop.id],
      });
    });
    after(async () => {
      await hive?.dispose();
      await hook?.close();
    });

    it('sets, changes, keeps and clears the limit; the list shows what is stored', async () => {
      assert.deepEqual(await listed(), [laptop.id]);
      assert.deepEqual(await update([server.id]), [server.id], 'changed');
      assert.deepEqual(await listed(), [server.id]);
      assert.deepEqual(await update([laptop.id, server.id]), [laptop.id, server.id].sort(), 'widened');
      assert.deepEqual(await listed(), [laptop.id, server.id].sort());
      assert.deepEqual(await update(undefined), [laptop.id, server.id].sort(), 'absent: unchanged');
      assert.deepEqual(await update([]), [], 'empty: cleared');
      assert.deepEqual(await listed(), []);
      assert.deepEqual(await update([laptop.id]), [laptop.id], 'set again');
      assert.deepEqual(await listed(), [laptop.id]);
    });

    it('refuses a repository the owner may not see, leaving the limit as it was', async () => {
      const other = await hive.newUser('otto');
      const hidden = await createRepository(hive, other.token, 'hidden', 1);
      const r = await hive.gql(rita.token, UPDATE, {
        id: channelId,
        i: { name: 'limited', kind: 'WEBHOOK', settings: settings(), repositoryIds: [hidden.id] },
      });
      assert.equal(r.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
      assert.deepEqual(await listed(), [laptop.id]);
    });

    it('a channel limited to one repository sends only for it', async () => {
      for (const repo of [laptop, server]) {
        const res = await fetch(repo.pingUrl, { method: 'POST' });
        assert.equal(res.status, 200);
      }
      clock.advance(DAY + HOUR);
      await runAlerts(hive);
      const titles = hook.requests
        .filter((r) => r.url === '/limited')
        .map((r) => JSON.parse(r.body) as { event: string; repository?: { name?: string } | string });
      assert.equal(titles.length, 1, JSON.stringify(titles));
      assert.match(JSON.stringify(titles[0]), /laptop/);
      assert.doesNotMatch(JSON.stringify(titles[0]), /server/);
    });

    it('testNotificationChannel(id) sends through the stored settings and records the result', async () => {
      const before = hook.requests.length;
      const ok = await hive.gql<{ testNotificationChannel: boolean }>(rita.token, TEST_STORED, {
        id: channelId,
      });
      assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
      assert.equal(ok.data?.testNotificationChannel, true);
      const sent = hook.requests.slice(before);
      assert.equal(sent.length, 1);
      assert.equal(sent[0]!.url, '/limited');
      assert.equal((JSON.parse(sent[0]!.body) as { event: string }).event, 'TEST');

      hook.reply(() => ({ status: 503, body: 'INTERNAL-ONLY-DATA', contentType: 'text/plain' }));
      const failed = await hive.gql(rita.token, TEST_STORED, { id: channelId });
      hook.reply(() => ({ status: 200, body: '{}' }));
      assert.equal(failed.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
      assert.match(failed.errors?.[0]?.message ?? '', /HTTP 503/);
      assert.doesNotMatch(failed.errors?.[0]?.message ?? '', /INTERNAL-ONLY-DATA/);

      const log = await deliveryLog(hive, rita.token, channelId);
      const tests = log.filter((d) => d.event === null && /test/i.test(d.title));
      assert.deepEqual(
        tests.map((d) => d.state),
        ['FAILED', 'SENT'],
        JSON.stringify(log),
      );
      assert.match(tests[0]!.lastError ?? '', /HTTP 503/);
      assert.ok(tests[1]!.sentAt);
      // the worker never picks a test row up again
      const { sent: again } = await runAlerts(hive);
      assert.deepEqual(again, { sent: 0, retrying: 0, failed: 0 });
    });

    it('only the owner (or an admin) may test a stored channel; others get NOT_FOUND', async () => {
      const other = await hive.newUser('mallory');
      const r = await hive.gql(other.token, TEST_STORED, { id: channelId });
      assert.equal(r.errors?.[0]?.extensions?.['code'], 'NOT_FOUND');
      const unknown = await hive.gql(rita.token, TEST_STORED, { id: '999999' });
      assert.equal(unknown.errors?.[0]?.extensions?.['code'], 'NOT_FOUND');
    });
  });
}
