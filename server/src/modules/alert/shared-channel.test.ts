import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import { createGroup, createRepo } from '../../test-support/factories.js';
import type { TestHive } from '../../test-support/hive.js';
import { startCaptureServer, type CaptureServer } from '../notification/testing.js';
import { HIDDEN_TITLE } from './notification-delivery.resolver.js';
import { DAY, emOf, runAlerts, startAlertHive } from './testing/alert-hive.js';

const T0 = new Date('2026-06-01T00:00:00Z');

describe('a shared channel carries only alerts its owner may read', () => {
  const clock = new ManualClock(T0);
  let hive: TestHive;
  let hook: CaptureServer;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  let teamChannel: string;
  let alicePrivate: string;
  let aliceTeam: string;
  const repositoriesAt = (path: string) =>
    hook.requests
      .filter((r) => r.url === path)
      .map((r) => (JSON.parse(r.body) as { repository: { name: string } }).repository.name)
      .sort();

  async function channel(token: string, input: Record<string, unknown>): Promise<string> {
    const r = await hive.gql<{ createNotificationChannel: { id: string } }>(
      token,
      'mutation($i:NotificationChannelInput!){createNotificationChannel(input:$i){id}}',
      { i: input },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createNotificationChannel.id;
  }

  before(async () => {
    hook = await startCaptureServer();
    hive = await startAlertHive(clock);
    alice = await hive.newUser('alice');
    bob = await hive.newUser('bob');
    const team = await createGroup(hive, 'team', [alice.id, bob.id]);
    alicePrivate = (await createRepo(hive, alice.token, { name: 'alice-private', alertAfterDays: 1 })).id;
    aliceTeam = (
      await createRepo(hive, alice.token, { name: 'alice-team', alertAfterDays: 1, groupIds: [team] })
    ).id;
    const bobPrivate = await createRepo(hive, bob.token, { name: 'bob-private', alertAfterDays: 1 });
    await createRepo(hive, bob.token, { name: 'bob-team', alertAfterDays: 1, groupIds: [team] });
    teamChannel = await channel(alice.token, {
      name: 'team',
      kind: 'WEBHOOK',
      settings: { url: `${hook.baseUrl}/team` },
      groupIds: [team],
    });
    const picked = await channel(alice.token, {
      name: 'picked',
      kind: 'WEBHOOK',
      settings: { url: `${hook.baseUrl}/picked` },
    });
    // an admin may choose any repository, even one the channel's owner cannot see
    const edit = await hive.gql(
      hive.adminToken,
      'mutation($id:ID!,$i:NotificationChannelInput!){updateNotificationChannel(id:$id,input:$i){id}}',
      {
        id: picked,
        i: {
          name: 'picked',
          kind: 'WEBHOOK',
          settings: { url: `${hook.baseUrl}/picked` },
          repositoryIds: [bobPrivate.id],
        },
      },
    );
    assert.equal(edit.errors, undefined, JSON.stringify(edit.errors));
    // alice leaves the team: the channel stays shared with it, but she may no longer see bob-team
    await emOf(hive)
      .getConnection()
      .execute('delete from group_members where user_id = ? and group_id = ?', [
        Number(alice.id),
        Number(team),
      ]);
    clock.advance(2 * DAY);
    await runAlerts(hive);
  });
  after(async () => {
    await hive?.dispose();
    await hook?.close();
  });

  it("fans out only the repositories the channel's owner may see", () => {
    assert.deepEqual(repositoriesAt('/team'), ['alice-private', 'alice-team']);
    assert.deepEqual(repositoriesAt('/picked'), [], "bob-private is not alice's to read");
  });

  it('hides from group members the titles of alerts about repositories they may not see', async () => {
    const r = await hive.gql<{
      notificationDeliveries: {
        title: string;
        repository: { name: string } | null;
        event: { type: string } | null;
      }[];
    }>(bob.token, 'query($c:ID){notificationDeliveries(channelId:$c){title repository{name} event{type}}}', {
      c: teamChannel,
    });
    const rows = r.data?.notificationDeliveries ?? [];
    assert.equal(rows.length, 2, JSON.stringify(r.errors));
    const hidden = rows.filter((d) => d.repository === null);
    assert.deepEqual(hidden, [{ title: HIDDEN_TITLE, repository: null, event: null }]);
    const shown = rows.find((d) => d.repository?.name === 'alice-team');
    assert.match(shown?.title ?? '', /alice-team/);
    assert.ok(!JSON.stringify(rows).includes('alice-private'));
    const own = await hive.gql<{ notificationDeliveries: { title: string }[] }>(
      alice.token,
      'query($c:ID){notificationDeliveries(channelId:$c){title}}',
      { c: teamChannel },
    );
    assert.ok(
      own.data?.notificationDeliveries.some((d) => d.title.includes('alice-private')),
      'the owner sees them',
    );
  });

  it("a repository's alert history: only its deliveries, and NOT_FOUND for a repository one may not see", async () => {
    const history = (token: string, repositoryId: string) =>
      hive.gql<{ notificationDeliveries: { title: string; repository: { id: string } | null }[] }>(
        token,
        'query($r:ID){notificationDeliveries(repositoryId:$r){title repository{id}}}',
        { r: repositoryId },
      );
    const own = await history(alice.token, alicePrivate);
    const rows = own.data?.notificationDeliveries ?? [];
    assert.equal(rows.length, 1, `the team channel's: ${JSON.stringify(own)}`);
    assert.ok(rows.every((d) => d.repository?.id === alicePrivate && d.title.includes('alice-private')));
    const shared = await history(bob.token, aliceTeam);
    assert.deepEqual(
      shared.data?.notificationDeliveries.map((d) => d.repository?.id),
      [aliceTeam],
      'bob sees the team repository through the team channel',
    );
    const hidden = await history(bob.token, alicePrivate);
    assert.equal(hidden.data, null);
    assert.equal(hidden.errors?.[0]?.extensions?.['code'], 'NOT_FOUND');
  });
});
