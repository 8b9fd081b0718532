import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ChannelDeliveryError, ChannelSettingsError, REDACTED } from './channel-driver.js';
import { pushoverChannel } from './pushover.channel.js';
import { startCaptureServer, type CaptureServer } from './testing/capture-server.js';
import { sampleMessage, testContext } from './testing/factories.js';

const APP_TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER_KEY = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';

describe('pushover channel', () => {
  let provider: CaptureServer;
  before(async () => {
    provider = await startCaptureServer();
  });
  after(() => provider.close());

  it('posts the message as a form to <BORGHIVE_PUSHOVER_API_URL>/1/messages.json', async () => {
    provider.reply(() => ({
      status: 200,
      body: '{"status":1,"request":"647d2300-702c-4b38-8b2f-d56326ae460b"}',
    }));
    const settings = pushoverChannel.validateSettings({
      appToken: APP_TOKEN,
      userKey: USER_KEY,
      priority: 1,
    });
    await pushoverChannel.send(settings, sampleMessage(), testContext({ pushoverApiUrl: provider.baseUrl }));

    const request = provider.requests.at(-1);
    assert.equal(request?.method, 'POST');
    assert.equal(request.url, '/1/messages.json');
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded;charset=UTF-8');
    const form = Object.fromEntries(new URLSearchParams(request.body));
    assert.deepEqual(form, {
      token: APP_TOKEN,
      user: USER_KEY,
      title: 'Missing backup for laptop',
      message: 'The last backup of laptop is older than 2 days (last: 2026-03-01 10:00 UTC).',
      timestamp: String(Date.parse('2026-03-03T11:00:00Z') / 1000),
      priority: '1',
    });
  });

  it("carries Pushover's own errors when the message is rejected", async () => {
    provider.reply(() => ({
      status: 400,
      body: '{"token":"invalid","errors":["application token is invalid"],"status":0,"request":"5042853c"}',
    }));
    const settings = pushoverChannel.validateSettings({
      appToken: APP_TOKEN,
      userKey: USER_KEY,
    });
    const ctx = testContext({ pushoverApiUrl: provider.baseUrl });
    await assert.rejects(pushoverChannel.send(settings, sampleMessage(), ctx), (error) => {
      assert.ok(error instanceof ChannelDeliveryError);
      assert.equal(error.providerText, 'application token is invalid');
      assert.match(error.message, /HTTP 400.*application token is invalid/);
      return true;
    });
  });

  it('reports a provider that hangs up without answering', async () => {
    const rude = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = rude.address() as AddressInfo;
      const ctx = testContext({ pushoverApiUrl: `http://127.0.0.1:${port}` });
      const settings = pushoverChannel.validateSettings({ appToken: APP_TOKEN, userKey: USER_KEY });
      await assert.rejects(pushoverChannel.send(settings, sampleMessage(), ctx), (error) => {
        assert.ok(error instanceof ChannelDeliveryError);
        assert.match(error.message, /^Pushover could not be reached: \S/);
        return true;
      });
    } finally {
      await new Promise((resolve) => rude.close(resolve));
    }
  });

  it('lists every invalid field at once', () => {
    assert.throws(
      () =>
        pushoverChannel.validateSettings({
          appToken: 'short',
          priority: 2,
          baseUrl: 'ftp://x',
          sound: 'siren',
        }),
      (error) => {
        assert.ok(error instanceof ChannelSettingsError);
        assert.deepEqual(
          error.fieldErrors.map((e) => e.field),
          ['sound', 'appToken', 'userKey', 'priority', 'baseUrl'],
        );
        assert.match(error.message, /userKey: is required/);
        return true;
      },
    );
  });

  it('refuses a per-channel API host: users cannot point Pushover deliveries elsewhere', () => {
    assert.throws(
      () =>
        pushoverChannel.validateSettings({
          appToken: APP_TOKEN,
          userKey: USER_KEY,
          baseUrl: 'http://127.0.0.1',
        }),
      (error) => {
        assert.ok(error instanceof ChannelSettingsError);
        assert.deepEqual(
          error.fieldErrors.map((e) => e.field),
          ['baseUrl'],
        );
        assert.match(error.message, /BORGHIVE_PUSHOVER_API_URL/);
        return true;
      },
    );
  });

  it('hides both keys when redacted', () => {
    const settings = pushoverChannel.validateSettings({ appToken: APP_TOKEN, userKey: USER_KEY });
    const shown = pushoverChannel.redact(settings);
    assert.deepEqual(shown, { appToken: REDACTED, userKey: REDACTED });
    assert.ok(!JSON.stringify(shown).includes(APP_TOKEN) && !JSON.stringify(shown).includes(USER_KEY));
  });
});
