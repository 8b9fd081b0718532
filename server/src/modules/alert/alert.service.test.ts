import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import { openOrm } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import type { TestHive } from '../../test-support/hive.js';
import {
  startCaptureServer,
  type CaptureServer,
  startSmtpSink,
  type SmtpSink,
} from '../notification/testing.js';
import {
  createChannel,
  createRepository,
  DAY,
  deliveryLog,
  eventsOf,
  HOUR,
  runAlerts,
  startAlertHive,
} from './testing/alert-hive.js';

const T0 = new Date('2026-03-01T00:00:00Z');

for (const dialect of dialects) {
  describe(`stale-backup alerts end to end (${dialect})`, () => {
    const clock = new ManualClock(T0);
    let hive: TestHive;
    let smtp: SmtpSink;
    let hook: CaptureServer;
    let alice: { id: string; token: string };
    let repo: { id: string; pingUrl: string };
    let webhookId: string;
    const hookEvents = () => hook.requests.map((r) => (JSON.parse(r.body) as { event: string }).event);
    const subjects = () => smtp.received.map((m) => m.mail.subject);

    before(async () => {
      smtp = await startSmtpSink();
      hook = await startCaptureServer();
      hive = await startAlertHive(clock, {
        dialect,
        env: { BORGHIVE_SMTP_URL: smtp.url, BORGHIVE_MAIL_FROM: 'hive@example.test' },
      });
      alice = await hive.newUser('alice');
      repo = await createRepository(hive, alice.token, 'laptop', 2);
      await createRepository(hive, alice.token, 'no-alerts', null);
      await createChannel(hive, alice.token, {
        name: 'mail',
        kind: 'EMAIL',
        settings: { to: 'alice@example.test' },
      });
      webhookId = await createChannel(hive, alice.token, {
        name: 'hook',
        kind: 'WEBHOOK',
        settings: { url: `${hook.baseUrl}/hook`, method: 'POST' },
      });
    });
    after(async () => {
      await hive?.dispose();
      await hook?.close();
      await smtp?.close();
    });

    it('sends nothing before the threshold', async () => {
      clock.set(new Date(T0.getTime() + 2 * DAY - 60_000));
      const { check } = await runAlerts(hive);
      assert.equal(check.alerts, 0);
      assert.equal(hook.requests.length, 0);
      const r = await hive.gql<{ repository: { isStale: boolean } }>(
        alice.token,
        'query($id:ID!){repository(id:$id){isStale}}',
        { id: repo.id },
      );
      assert.equal(r.data?.repository.isStale, false);
    });

    it('alerts once when the threshold passes (never-backed-up repositories count from creation)', async () => {
      const changed = hive.services.bus.subscribe('repositoryChanged');
      const firstChange = changed.next(); // the subscription listens from its first next()
      clock.set(new Date(T0.getTime() + 2 * DAY));
      const { check, sent } = await runAlerts(hive);
      assert.deepEqual(
        { alerts: check.alerts, flips: check.flips, deliveries: check.deliveries },
        { alerts: 1, flips: 1, deliveries: 2 },
      );
      assert.equal(sent.sent, 2);
      assert.deepEqual(hookEvents(), ['STALE']);
      assert.deepEqual(subjects(), ['Missing backup for laptop']);
      assert.match(
        smtp.received[0]!.mail.text ?? '',
        /No backup of laptop has arrived in the 2 days since it was created \(last: never\)/,
      );
      assert.deepEqual(smtp.received[0]!.rcptTo, ['alice@example.test']);
      // isStale followed the clock: subscribers heard of the flip without any event on disk.
      const flip = await firstChange;
      assert.equal((flip.value as { repositoryId?: number } | undefined)?.repositoryId, Number(repo.id));
      await changed.return?.();
      const events = await eventsOf(hive, alice.token, repo.id);
      assert.equal(events[0]?.type, 'ALERT');
      const again = await runAlerts(hive);
      assert.equal(again.check.alerts, 0, 'a second check at the same time sends nothing');
      assert.equal(hook.requests.length, 1);
    });

    it('repeats every alertIntervalHours (12) and stops alertExpirationDays (5) after the reference point', async () => {
      clock.advance(11 * HOUR);
      assert.equal((await runAlerts(hive)).check.alerts, 0, 'no repeat before the interval');
      clock.advance(HOUR);
      // subscribers hear of an alert only once it is committed: at the moment of publishing, another
      // connection already sees the event row
      const other = await openOrm(hive.config.database);
      const bus = hive.services.bus;
      const publish = bus.publish.bind(bus);
      const seenByOthers: boolean[] = [];
      bus.publish = async (topic, message) => {
        if (topic === 'repositoryEvent') {
          const id = (message as { event: { id: number } }).event.id;
          const rows = await other.em
            .getConnection()
            .execute<unknown[]>('select id from repository_events where id = ?', [id]);
          seenByOthers.push(rows.length === 1);
        }
        return publish(topic, message);
      };
      try {
        assert.equal((await runAlerts(hive)).check.alerts, 1, 'repeat after 12 hours');
      } finally {
        bus.publish = publish;
        await other.close(true);
      }
      assert.deepEqual(seenByOthers, [true]);
      // day 2.5 so far; repeats at 3, 3.5, 4, 4.5, 5 days; nothing after day 5
      for (let step = 0; step < 8; step += 1) {
        clock.advance(12 * HOUR);
        await runAlerts(hive);
      }
      assert.equal(hookEvents().length, 7);
      assert.equal(subjects().length, 7);
      assert.equal((await eventsOf(hive, alice.token, repo.id)).filter((e) => e.type === 'ALERT').length, 7);
    });

    it('says "recovered" once when a backup arrives after an alert', async () => {
      const res = await fetch(repo.pingUrl, { method: 'POST', body: 'borgmatic: all good' });
      assert.equal(res.status, 200);
      await hive.services.deliveries.runOnce();
      assert.deepEqual(hookEvents().slice(-1), ['RECOVERED']);
      assert.deepEqual(subjects().slice(-1), ['Backup received for laptop']);
      clock.advance(HOUR);
      await runAlerts(hive);
      assert.equal(hookEvents().filter((e) => e === 'RECOVERED').length, 1);
      const events = (await eventsOf(hive, alice.token, repo.id)).map((e) => e.type);
      assert.deepEqual(events.slice(0, 2), ['RECOVERED', 'BACKUP_SUCCEEDED']);
    });

    it('keeps a delivery log readable through the API, for the channel owner only', async () => {
      const log = await deliveryLog(hive, alice.token, webhookId);
      assert.equal(log.length, 8);
      assert.ok(log.every((d) => d.state === 'SENT' && d.attempts === 1 && d.sentAt !== null));
      assert.deepEqual([log[0]?.event?.type, log[0]?.title], ['RECOVERED', 'Backup received for laptop']);
      const bob = await hive.newUser('bob');
      const denied = await hive.gql(bob.token, 'query($c:ID){notificationDeliveries(channelId:$c){id}}', {
        c: webhookId,
      });
      assert.equal(denied.errors?.[0]?.extensions?.code, 'NOT_FOUND');
      assert.deepEqual(await deliveryLog(hive, bob.token), []);
    });
  });
}
