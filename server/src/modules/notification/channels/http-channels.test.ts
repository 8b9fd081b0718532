import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChannelDeliveryError, ChannelSettingsError, REDACTED } from './channel-driver.js';
import { gotifyChannel } from './gotify.channel.js';
import { matrixChannel } from './matrix.channel.js';
import { telegramChannel } from './telegram.channel.js';
import { uptimeKumaChannel } from './uptime-kuma.channel.js';
import { startCaptureServer, type CaptureServer } from './testing/capture-server.js';
import { sampleMessage, testContext } from './testing/factories.js';

const BOT = '123456789:AAE_secret-bot-token-abcdefghijklmn';

/** Stand-in servers check the request shape each provider documents. */
describe('Gotify, Telegram, Matrix and Uptime Kuma channels', () => {
  let server: CaptureServer;
  before(async () => {
    server = await startCaptureServer();
  });
  after(() => server.close());

  it('Gotify: POST <server>/message with the app token in X-Gotify-Key', async () => {
    server.reply(() => ({ status: 200, body: '{"id":1}' }));
    const settings = gotifyChannel.validateSettings({
      server: `${server.baseUrl}/gotify`,
      token: 'AbC.def_12',
    });
    await gotifyChannel.send(settings, sampleMessage(), testContext());
    const request = server.requests.at(-1)!;
    assert.deepEqual([request.method, request.url], ['POST', '/gotify/message']);
    assert.equal(request.headers['x-gotify-key'], 'AbC.def_12');
    const body = JSON.parse(request.body) as Record<string, unknown>;
    assert.deepEqual([body.title, body.priority], ['Missing backup for laptop', 8]);
    assert.deepEqual(gotifyChannel.redact(settings), {
      server: `${server.baseUrl}/gotify`,
      token: REDACTED,
    });
    server.reply(() => ({ status: 401, body: '{"error":"Unauthorized"}' }));
    await assert.rejects(gotifyChannel.send(settings, sampleMessage(), testContext()), (err: unknown) => {
      assert.ok(err instanceof ChannelDeliveryError);
      assert.equal(err.message, 'Gotify rejected the message: HTTP 401 Unauthorized');
      return true;
    });
  });

  it('Telegram: sendMessage at the admin-set API origin; the bot token only in the path', async () => {
    server.reply(() => ({ status: 200, body: '{"ok":true,"result":{"message_id":7}}' }));
    const settings = telegramChannel.validateSettings({
      botToken: BOT,
      chatId: '-1001234567890',
      silent: true,
    });
    await telegramChannel.send(
      settings,
      sampleMessage({ state: 'RECOVERED' }),
      testContext({ telegramApiUrl: server.baseUrl }),
    );
    const request = server.requests.at(-1)!;
    assert.deepEqual([request.method, request.url], ['POST', `/bot${BOT}/sendMessage`]);
    const body = JSON.parse(request.body) as Record<string, unknown>;
    assert.equal(body.chat_id, '-1001234567890');
    assert.equal(body.disable_notification, true);
    assert.match(String(body.text), /^Missing backup for laptop\n\nThe last backup/);
    assert.deepEqual(telegramChannel.redact(settings), {
      botToken: REDACTED,
      chatId: '-1001234567890',
      silent: true,
    });
    // Telegram's own description is shown: its host is the admin's choice, not the user's
    server.reply(() => ({ status: 400, body: '{"ok":false,"description":"Bad Request: chat not found"}' }));
    await assert.rejects(
      telegramChannel.send(settings, sampleMessage(), testContext({ telegramApiUrl: server.baseUrl })),
      /Telegram rejected the message: Bad Request: chat not found/,
    );
  });

  it('Matrix: PUT m.room.message with the delivery key as transaction id and the access token as bearer', async () => {
    server.reply(() => ({ status: 200, body: '{"event_id":"$x"}' }));
    const settings = matrixChannel.validateSettings({
      homeserver: server.baseUrl,
      accessToken: 'syt_secret_token',
      roomId: '!room:example.org',
    });
    await matrixChannel.send(settings, sampleMessage({ deliveryKey: 'bh-delivery-42' }), testContext());
    const request = server.requests.at(-1)!;
    assert.equal(request.method, 'PUT');
    assert.equal(
      request.url,
      '/_matrix/client/v3/rooms/!room%3Aexample.org/send/m.room.message/bh-delivery-42',
    );
    assert.equal(request.headers['authorization'], 'Bearer syt_secret_token');
    assert.deepEqual(JSON.parse(request.body), {
      msgtype: 'm.text',
      body: 'Missing backup for laptop\n\nThe last backup of laptop is older than 2 days (last: 2026-03-01 10:00 UTC).',
    });
    assert.equal(matrixChannel.redact(settings).accessToken, REDACTED);
  });

  it('Uptime Kuma: a push GET with status down for a problem and up for a recovery', async () => {
    server.reply(() => ({ status: 200, body: '{"ok":true}' }));
    const settings = uptimeKumaChannel.validateSettings({
      pushUrl: `${server.baseUrl}/api/push/Xy12ab34?status=up&msg=OK&ping=`,
    });
    await uptimeKumaChannel.send(settings, sampleMessage(), testContext());
    await uptimeKumaChannel.send(
      settings,
      sampleMessage({ state: 'RECOVERED', title: 'laptop is backed up again' }),
      testContext(),
    );
    const [down, up] = server.requests.slice(-2).map((r) => new URL(r.url, server.baseUrl));
    assert.equal(down?.pathname, '/api/push/Xy12ab34');
    assert.deepEqual(
      [down?.searchParams.get('status'), down?.searchParams.get('msg')],
      ['down', 'Missing backup for laptop'],
    );
    assert.deepEqual(
      [up?.searchParams.get('status'), up?.searchParams.get('msg')],
      ['up', 'laptop is backed up again'],
    );
    assert.deepEqual(uptimeKumaChannel.redact(settings), {
      pushUrl: `${server.baseUrl}/api/push/${REDACTED}`,
    });
  });

  it('lists every bad field of each kind', () => {
    const problems = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        assert.ok(err instanceof ChannelSettingsError);
        return err.fieldErrors.map((e) => e.field).sort();
      }
      assert.fail('expected ChannelSettingsError');
    };
    assert.deepEqual(
      problems(() => gotifyChannel.validateSettings({ server: 'ftp://x', token: 'a b', priority: 11 })),
      ['priority', 'server', 'token'],
    );
    assert.deepEqual(
      problems(() => telegramChannel.validateSettings({ botToken: 'nope', chatId: 12345, extra: 1 })),
      ['botToken', 'chatId', 'chatId', 'extra'],
    );
    assert.deepEqual(
      problems(() => matrixChannel.validateSettings({ homeserver: 'x', roomId: '#alias:example.org' })),
      ['accessToken', 'homeserver', 'roomId'],
    );
    assert.deepEqual(
      problems(() => uptimeKumaChannel.validateSettings({ pushUrl: 'https://kuma.example.org/dashboard' })),
      ['pushUrl'],
    );
  });

  it('refuses a private address the outbound rules do not allow, before anything is sent', async () => {
    const settings = gotifyChannel.validateSettings({ server: 'http://10.1.2.3:8080', token: 'abc' });
    await assert.rejects(
      gotifyChannel.send(settings, sampleMessage(), testContext()),
      /Gotify was not called/,
    );
  });
});
