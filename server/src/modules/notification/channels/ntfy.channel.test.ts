import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChannelDeliveryError, ChannelSettingsError, REDACTED } from './channel-driver.js';
import { ntfyChannel } from './ntfy.channel.js';
import { startCaptureServer, type CaptureServer } from './testing/capture-server.js';
import { sampleMessage, testContext } from './testing/factories.js';

const TOKEN = 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2';

describe('ntfy channel', () => {
  let server: CaptureServer;
  before(async () => {
    server = await startCaptureServer();
  });
  after(() => server.close());

  it('publishes JSON to the server root with the bearer token', async () => {
    server.reply(() => ({ status: 200, body: '{"id":"sPs71M8A2T","event":"message"}' }));
    const settings = ntfyChannel.validateSettings({
      server: server.baseUrl,
      topic: 'borg_alerts-1',
      token: TOKEN,
    });
    await ntfyChannel.send(settings, sampleMessage(), testContext());

    const request = server.requests.at(-1);
    assert.equal(request?.method, 'POST');
    assert.equal(request.url, '/');
    assert.equal(request.headers['authorization'], `Bearer ${TOKEN}`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request.body), {
      topic: 'borg_alerts-1',
      title: 'Missing backup for laptop',
      message: 'The last backup of laptop is older than 2 days (last: 2026-03-01 10:00 UTC).',
      priority: 4,
      tags: ['warning', 'borg-hive'],
    });
  });

  it('keeps a path prefix of a self-hosted server and uses the configured priority', async () => {
    server.reply(() => ({ status: 200, body: '{}' }));
    const settings = ntfyChannel.validateSettings({
      server: `${server.baseUrl}/ntfy`,
      topic: 'ops',
      priority: 2,
    });
    await ntfyChannel.send(settings, sampleMessage({ state: 'RECOVERED' }), testContext());

    const request = server.requests.at(-1);
    assert.equal(request?.url, '/ntfy/');
    assert.equal(request.headers['authorization'], undefined);
    const payload: unknown = JSON.parse(request.body);
    assert.deepEqual(payload, {
      topic: 'ops',
      title: 'Missing backup for laptop',
      message: 'The last backup of laptop is older than 2 days (last: 2026-03-01 10:00 UTC).',
      priority: 2,
      tags: ['white_check_mark', 'borg-hive'],
    });
  });

  it("reports the status, not the body, when publishing is refused (the server is the user's choice)", async () => {
    server.reply(() => ({
      status: 403,
      body: '{"code":40301,"http":403,"error":"forbidden","link":"https://ntfy.sh/docs/publish/#authentication"}',
    }));
    const settings = ntfyChannel.validateSettings({ server: server.baseUrl, topic: 'private' });
    await assert.rejects(ntfyChannel.send(settings, sampleMessage(), testContext()), (error) => {
      assert.ok(error instanceof ChannelDeliveryError);
      assert.equal(error.providerText, 'HTTP 403 Forbidden');
      assert.equal(error.message, 'ntfy rejected the message: HTTP 403 Forbidden');
      assert.ok(!error.message.includes('40301'));
      return true;
    });
  });

  it('lists every invalid field at once', () => {
    assert.throws(
      () =>
        ntfyChannel.validateSettings({ server: 'not a url', topic: 'a/b', token: 'has space', priority: 0 }),
      (error) => {
        assert.ok(error instanceof ChannelSettingsError);
        assert.deepEqual(
          error.fieldErrors.map((e) => e.field),
          ['server', 'topic', 'token', 'priority'],
        );
        return true;
      },
    );
    assert.throws(() => ntfyChannel.validateSettings({ topic: 'x'.repeat(65) }), /topic: must be 1 to 64/);
    assert.throws(() => ntfyChannel.validateSettings({}), /topic: is required/);
  });

  it('defaults to ntfy.sh and hides the token when redacted', () => {
    const settings = ntfyChannel.validateSettings({ topic: 'borg', token: TOKEN });
    assert.deepEqual(ntfyChannel.redact(settings), {
      server: 'https://ntfy.sh',
      topic: 'borg',
      token: REDACTED,
    });
  });
});
