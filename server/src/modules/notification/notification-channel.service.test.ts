import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { createGroup } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { REDACTED } from './channels/channel-driver.js';
import { startCaptureServer, type CaptureServer } from './channels/testing/capture-server.js';
import { NotificationChannel } from './notification-channel.entity.js';
import { TESTS_PER_MINUTE } from './notification-channel.service.js';

const LOOPBACK_ALLOW = { BORGHIVE_OUTBOUND_ALLOW: '127.0.0.1/32' };
const SECRET = 'hmac-secret-of-alice';
const PATH_TOKEN = 'T0KEN1n7hePath';
const QUERY_TOKEN = 'q7ery-t0ken';

type Errors = { message: string; extensions?: { code?: string } }[] | undefined;

function testChannel(hive: TestHive, token: string, kind: string, settings: Record<string, unknown>) {
  return hive.gql(token, 'mutation($i:NotificationChannelInput!){testNotificationChannel(input:$i)}', {
    i: { name: 'probe', kind, settings },
  });
}

async function createChannel(
  hive: TestHive,
  token: string,
  input: Record<string, unknown>,
): Promise<{ id: string; settings: Record<string, unknown> }> {
  const r = await hive.gql<{ createNotificationChannel: { id: string; settings: Record<string, unknown> } }>(
    token,
    'mutation($i:NotificationChannelInput!){createNotificationChannel(input:$i){id settings}}',
    { i: input },
  );
  if (!r.data?.createNotificationChannel)
    throw new Error(`createNotificationChannel: ${JSON.stringify(r.errors)}`);
  return r.data.createNotificationChannel;
}

/** The settings column exactly as the database holds it. */
async function rawSettings(hive: TestHive, id: string): Promise<string> {
  const em = hive.services.orm.em.fork() as Em;
  const rows = await em
    .getConnection()
    .execute<{ settings: unknown }[]>('select settings from notification_channels where id = ?', [
      Number(id),
    ]);
  const value = rows[0]?.settings;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

async function storedSettings(hive: TestHive, id: string): Promise<Record<string, unknown>> {
  const em = hive.services.orm.em.fork() as Em;
  const channel = await em.findOneOrFail(NotificationChannel, { id: Number(id) });
  return hive.services.channels.secrets.open(channel.settings);
}

describe('notification channels without an outbound allow list', () => {
  let hive: TestHive;
  let hook: CaptureServer;
  before(async () => {
    hook = await startCaptureServer();
    hive = await startTestHive();
  });
  after(async () => {
    await hive?.dispose();
    await hook?.close();
  });

  it('testNotificationChannel refuses loopback in every spelling, and names resolving to it, sending nothing', async () => {
    const { token } = await hive.newUser('prober');
    const port = new URL(hook.baseUrl).port;
    const targets = [
      `http://127.0.0.1:${port}/hook`,
      `http://2130706433:${port}/hook`,
      `http://0177.0.0.1:${port}/hook`,
      `http://[::1]:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      `http://localhost:${port}/hook`,
    ];
    for (const url of targets) {
      const r = await testChannel(hive, token, 'WEBHOOK', { url });
      assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', url);
      assert.match(r.errors?.[0]?.message ?? '', /The webhook was not called: .* is a loopback address/, url);
    }
    const ntfy = await testChannel(hive, token, 'NTFY', { server: hook.baseUrl, topic: 'alerts' });
    assert.match(ntfy.errors?.[0]?.message ?? '', /ntfy was not called: 127\.0\.0\.1 is a loopback address/);
    assert.deepEqual(hook.requests, [], 'the loopback service was never reached');
  });

  it('refuses a per-channel Pushover API host', async () => {
    const { token } = await hive.newUser('pusher');
    const settings = { appToken: 'a'.repeat(30), userKey: 'u'.repeat(30), baseUrl: hook.baseUrl };
    const created = await hive.gql(
      token,
      'mutation($i:NotificationChannelInput!){createNotificationChannel(input:$i){id}}',
      { i: { name: 'po', kind: 'PUSHOVER', settings } },
    );
    assert.equal(created.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(created.errors?.[0]?.message ?? '', /settings\.baseUrl: .*BORGHIVE_PUSHOVER_API_URL/);
    const tested = await testChannel(hive, token, 'PUSHOVER', settings);
    assert.equal(tested.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.deepEqual(hook.requests, []);
  });
});

describe('notification channels with loopback allowed', () => {
  let hive: TestHive;
  let hook: CaptureServer;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  let team: string;
  before(async () => {
    hook = await startCaptureServer();
    hive = await startTestHive({ env: LOOPBACK_ALLOW });
    alice = await hive.newUser('alice');
    bob = await hive.newUser('bob');
    team = await createGroup(hive, 'team', [alice.id, bob.id]);
  });
  after(async () => {
    await hive?.dispose();
    await hook?.close();
  });

  it('shows the caller the status of a failed test, never the body of the answer', async () => {
    hook.reply(() => ({ status: 500, body: 'root:x:0:0 INTERNAL-ONLY-DATA', contentType: 'text/plain' }));
    const { token } = await hive.newUser('reader');
    const r = await testChannel(hive, token, 'WEBHOOK', { url: `${hook.baseUrl}/metadata` });
    assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(
      r.errors?.[0]?.message,
      'the test message was not delivered: The webhook failed: HTTP 500 Internal Server Error',
    );
    hook.reply(() => ({ status: 200, body: '{}' }));
  });

  it(`allows ${TESTS_PER_MINUTE} test messages a minute per user, then answers RATE_LIMITED`, async () => {
    const { token } = await hive.newUser('spammer');
    const other = await hive.newUser('neighbour');
    hook.reply(() => ({ status: 204, body: '' }));
    for (let i = 0; i < TESTS_PER_MINUTE; i += 1) {
      const r = await testChannel(hive, token, 'WEBHOOK', { url: `${hook.baseUrl}/spam` });
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    }
    const over = await testChannel(hive, token, 'WEBHOOK', { url: `${hook.baseUrl}/spam` });
    const errors = over.errors as Errors & { extensions?: { retryAfterSeconds?: number } }[];
    assert.equal(errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.ok((errors?.[0]?.extensions?.retryAfterSeconds ?? 0) > 0);
    assert.equal(hook.requests.filter((r) => r.url === '/spam').length, TESTS_PER_MINUTE);
    const neighbour = await testChannel(hive, other.token, 'WEBHOOK', { url: `${hook.baseUrl}/spam` });
    assert.equal(neighbour.errors, undefined, 'the limit is per user');
  });

  it('a group member sees a shared channel but may not redirect or delete it', async () => {
    const channel = await createChannel(hive, alice.token, {
      name: 'team alerts',
      kind: 'WEBHOOK',
      settings: { url: `${hook.baseUrl}/alice` },
      groupIds: [team],
    });
    const seen = await hive.gql<{ notificationChannels: { id: string }[] }>(
      bob.token,
      '{notificationChannels{id}}',
    );
    assert.ok(seen.data?.notificationChannels.some((c) => c.id === channel.id));
    const redirect = await hive.gql(
      bob.token,
      'mutation($id:ID!,$i:NotificationChannelInput!){updateNotificationChannel(id:$id,input:$i){id}}',
      { id: channel.id, i: { name: 'mine now', kind: 'WEBHOOK', settings: { url: `${hook.baseUrl}/bob` } } },
    );
    assert.equal(redirect.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const removed = await hive.gql(bob.token, 'mutation($id:ID!){deleteNotificationChannel(id:$id)}', {
      id: channel.id,
    });
    assert.equal(removed.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal((await storedSettings(hive, channel.id))['url'], `${hook.baseUrl}/alice`);
    const byOwner = await hive.gql(
      alice.token,
      'mutation($id:ID!,$i:NotificationChannelInput!){updateNotificationChannel(id:$id,input:$i){id}}',
      {
        id: channel.id,
        i: { name: 'renamed', kind: 'WEBHOOK', settings: { url: `${hook.baseUrl}/alice2` } },
      },
    );
    assert.equal(byOwner.errors, undefined, JSON.stringify(byOwner.errors));
  });

  it('redacts URL credentials, query values, known path tokens and secrets in every answer', async () => {
    const url = `http://hook:pa55word@127.0.0.1:${new URL(hook.baseUrl).port}/hooks/${PATH_TOKEN}?token=${QUERY_TOKEN}`;
    const created = await createChannel(hive, alice.token, {
      name: 'redacted',
      kind: 'WEBHOOK',
      settings: { url, secret: SECRET },
    });
    const listed = await hive.gql<{
      notificationChannels: { id: string; settings: Record<string, unknown> }[];
    }>(alice.token, '{notificationChannels{id settings}}');
    const shown = listed.data?.notificationChannels.find((c) => c.id === created.id)?.settings;
    for (const answer of [created.settings, shown]) {
      const text = JSON.stringify(answer);
      for (const secret of ['pa55word', PATH_TOKEN, QUERY_TOKEN, SECRET])
        assert.ok(!text.includes(secret), text);
    }
    assert.deepEqual(shown, {
      url: `http://hook:${REDACTED}@127.0.0.1:${new URL(hook.baseUrl).port}/hooks/${REDACTED}?token=${REDACTED}`,
      method: 'POST',
      secret: REDACTED,
    });
  });

  it('an update that sends back the redacted settings keeps the stored secrets', async () => {
    const url = `${hook.baseUrl}/hooks/${PATH_TOKEN}?token=${QUERY_TOKEN}`;
    const created = await createChannel(hive, alice.token, {
      name: 'round trip',
      kind: 'WEBHOOK',
      settings: { url, secret: SECRET },
    });
    const updated = await hive.gql(
      alice.token,
      'mutation($id:ID!,$i:NotificationChannelInput!){updateNotificationChannel(id:$id,input:$i){id}}',
      { id: created.id, i: { name: 'round trip, renamed', kind: 'WEBHOOK', settings: created.settings } },
    );
    assert.equal(updated.errors, undefined, JSON.stringify(updated.errors));
    assert.deepEqual(await storedSettings(hive, created.id), { url, method: 'POST', secret: SECRET });
  });

  it('never stores the placeholder: a redacted value that matches nothing stored is refused', async () => {
    const r = await hive.gql(
      alice.token,
      'mutation($i:NotificationChannelInput!){createNotificationChannel(input:$i){id}}',
      {
        i: {
          name: 'placeholder',
          kind: 'WEBHOOK',
          settings: { url: `${hook.baseUrl}/hooks/${REDACTED}`, secret: REDACTED },
        },
      },
    );
    assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const problems =
      (r.errors?.[0]?.extensions as { problems?: { field: string }[] } | undefined)?.problems ?? [];
    assert.deepEqual(problems.map((p) => p.field).sort(), ['settings.secret', 'settings.url']);
  });
});

for (const dialect of dialects) {
  describe(`stored channel settings hold no secret in clear (${dialect})`, () => {
    let hive: TestHive;
    before(async () => {
      hive = await startTestHive({ dialect });
    });
    after(() => hive?.dispose());

    it('seals every kind of settings in the raw row and reads them back', async () => {
      const { token } = await hive.newUser('sealer');
      const secrets = {
        WEBHOOK: {
          url: `https://hook:pa55word@example.test/hooks/${PATH_TOKEN}?token=${QUERY_TOKEN}`,
          secret: SECRET,
        },
        PUSHOVER: { appToken: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi', userKey: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG' },
        NTFY: {
          server: 'https://ntfy-user:ntfy-pa55@ntfy.example.test',
          topic: 'alerts',
          token: 'tk_ntfy-secret-token',
        },
      };
      for (const [kind, settings] of Object.entries(secrets)) {
        const { id } = await createChannel(hive, token, { name: kind, kind, settings });
        const raw = await rawSettings(hive, id);
        assert.match(raw, /"sealed":\s*"bh1:/);
        for (const value of Object.values(settings)) {
          for (const part of [value, 'pa55word', PATH_TOKEN, QUERY_TOKEN, 'ntfy-pa55'])
            assert.ok(!raw.includes(part), `${kind}: ${raw}`);
        }
        const stored = await storedSettings(hive, id);
        for (const [field, value] of Object.entries(settings)) assert.equal(stored[field], value);
      }
    });
  });
}
