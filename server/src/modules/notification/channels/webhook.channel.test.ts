import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ChannelDeliveryError, ChannelSettingsError, REDACTED } from './channel-driver.js';
import { startCaptureServer, type CaptureServer, type CapturedRequest } from './testing/capture-server.js';
import { sampleMessage, testContext } from './testing/factories.js';
import { webhookChannel } from './webhook.channel.js';

const SECRET = 'correct horse battery staple';

/** What a receiver does: recompute the HMAC over exactly what arrived and compare in constant time. */
function signatureIsValid(request: CapturedRequest, signed: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(signed).digest('hex')}`);
  const received = Buffer.from(String(request.headers['x-borghive-signature']));
  return expected.length === received.length && timingSafeEqual(expected, received);
}

describe('webhook channel', () => {
  let receiver: CaptureServer;
  before(async () => {
    receiver = await startCaptureServer();
  });
  after(() => receiver.close());

  it('POSTs the alert as JSON, signed with the secret', async () => {
    receiver.reply((request) => ({ status: signatureIsValid(request, request.body) ? 204 : 401, body: '' }));
    const settings = webhookChannel.validateSettings({
      url: `${receiver.baseUrl}/hooks/borg`,
      secret: SECRET,
    });
    assert.equal(settings.method, 'POST');
    await webhookChannel.send(settings, sampleMessage(), testContext());

    const request = receiver.requests.at(-1);
    assert.equal(request?.method, 'POST');
    assert.equal(request.url, '/hooks/borg');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.match(String(request.headers['x-borghive-timestamp']), /^\d{10}$/);
    assert.deepEqual(JSON.parse(request.body), {
      event: 'STALE',
      repository: { id: 'r-17', name: 'laptop', url: 'ssh://ab12cd34@hive.example:22/./laptop' },
      lastBackupAt: '2026-03-01T10:00:00.000Z',
      createdAt: '2026-03-03T11:00:00.000Z',
      title: 'Missing backup for laptop',
      message: 'The last backup of laptop is older than 2 days (last: 2026-03-01 10:00 UTC).',
    });
  });

  it('GETs with the fields in the query string, signing the query string', async () => {
    receiver.reply((request) => {
      const query = request.url.slice(request.url.indexOf('?') + 1);
      return { status: signatureIsValid(request, query) ? 200 : 401, body: 'ok' };
    });
    const settings = webhookChannel.validateSettings({
      url: `${receiver.baseUrl}/notify?key=abc`,
      method: 'GET',
      secret: SECRET,
    });
    const message = sampleMessage({
      state: 'TEST',
      title: 'Borg Hive test',
      body: 'Hello & goodbye',
      repository: null,
      lastBackupAt: null,
    });
    await webhookChannel.send(settings, message, testContext());

    const request = receiver.requests.at(-1);
    assert.equal(request?.method, 'GET');
    const url = new URL(request.url, receiver.baseUrl);
    assert.equal(url.pathname, '/notify');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      key: 'abc',
      event: 'TEST',
      createdAt: '2026-03-03T11:00:00.000Z',
      title: 'Borg Hive test',
      message: 'Hello & goodbye',
    });
    assert.equal(request.body, '');
  });

  it('sends no signature headers without a secret', async () => {
    receiver.reply(() => ({ status: 200, body: '' }));
    await webhookChannel.send(
      webhookChannel.validateSettings({ url: receiver.baseUrl }),
      sampleMessage(),
      testContext(),
    );
    const headers = receiver.requests.at(-1)?.headers ?? {};
    assert.equal(headers['x-borghive-signature'], undefined);
    assert.equal(headers['x-borghive-timestamp'], undefined);
  });

  it('fails with the status, never the body, on a non-2xx answer', async () => {
    receiver.reply(() => ({ status: 503, body: 'maintenance until 14:00', contentType: 'text/plain' }));
    const settings = webhookChannel.validateSettings({ url: receiver.baseUrl });
    await assert.rejects(webhookChannel.send(settings, sampleMessage(), testContext()), (error) => {
      assert.ok(error instanceof ChannelDeliveryError);
      assert.equal(error.providerText, 'HTTP 503 Service Unavailable');
      assert.ok(!error.message.includes('maintenance'));
      return true;
    });
  });

  it('gives up on a receiver that never answers', async () => {
    receiver.reply(() => null);
    const settings = webhookChannel.validateSettings({ url: receiver.baseUrl });
    await assert.rejects(
      webhookChannel.send(settings, sampleMessage(), testContext({ timeoutMs: 300 })),
      (error) => {
        assert.ok(error instanceof ChannelDeliveryError);
        assert.equal(error.message, 'The webhook did not answer within 300 ms');
        return true;
      },
    );
  });

  it('accepts only http(s) URLs, GET or POST, and known fields', () => {
    assert.throws(
      () =>
        webhookChannel.validateSettings({ url: 'file:///etc/passwd', method: 'PUT', secret: 7, headers: {} }),
      (error) => {
        assert.ok(error instanceof ChannelSettingsError);
        assert.deepEqual(error.fieldErrors, [
          { field: 'headers', message: 'unknown field (allowed: url, method, secret)' },
          { field: 'url', message: 'must be an http or https URL' },
          { field: 'method', message: 'must be one of GET, POST' },
          { field: 'secret', message: 'must be a string' },
        ]);
        return true;
      },
    );
    assert.throws(() => webhookChannel.validateSettings('https://example.com'), ChannelSettingsError);
  });

  it('hides the secret and a password in the URL when redacted', () => {
    const settings = webhookChannel.validateSettings({
      url: 'https://bot:hunter2@example.com/hook',
      secret: SECRET,
    });
    const shown = JSON.stringify(webhookChannel.redact(settings));
    assert.ok(!shown.includes(SECRET) && !shown.includes('hunter2'));
    assert.deepEqual(webhookChannel.redact(settings), {
      url: `https://bot:${REDACTED}@example.com/hook`,
      method: 'POST',
      secret: REDACTED,
    });
  });
});
