import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appriseChannel } from './apprise.channel.js';
import { ChannelDeliveryError, ChannelSettingsError, REDACTED } from './channel-driver.js';
import { startCaptureServer, type CaptureServer } from './testing/capture-server.js';
import { sampleMessage, testContext } from './testing/factories.js';

/** Debian's real apprise CLI (the apprise package) delivering to a local json:// receiver. */
describe('Apprise channel', () => {
  let server: CaptureServer;
  before(async () => {
    server = await startCaptureServer();
  });
  after(() => server.close());

  it('runs the apprise CLI, which posts the message to a json:// target', async () => {
    const port = new URL(server.baseUrl).port;
    const settings = appriseChannel.validateSettings({ urls: [`json://127.0.0.1:${port}/apprise-hook`] });
    await appriseChannel.send(settings, sampleMessage(), testContext());
    const request = server.requests.find((r) => r.url === '/apprise-hook');
    assert.ok(request, 'apprise posted to the receiver');
    const body = JSON.parse(request.body) as Record<string, unknown>;
    assert.deepEqual(
      [body.title, body.message, body.type],
      [
        'Missing backup for laptop',
        'The last backup of laptop is older than 2 days (last: 2026-03-01 10:00 UTC).',
        'warning',
      ],
    );
    assert.deepEqual(appriseChannel.redact(settings), { urls: [`json://${REDACTED}`] });
    assert.match(appriseChannel.adminOnly!(settings) ?? '', /only an admin/);
  });

  it('a title that looks like an option stays a title (argument array, no shell)', async () => {
    const port = new URL(server.baseUrl).port;
    const settings = appriseChannel.validateSettings({ urls: [`json://127.0.0.1:${port}/args`] });
    await appriseChannel.send(
      settings,
      sampleMessage({ title: '--version; $(touch /tmp/x)', body: '`id`' }),
      testContext(),
    );
    const request = server.requests.find((r) => r.url === '/args');
    assert.deepEqual((JSON.parse(request!.body) as { title: string }).title, '--version; $(touch /tmp/x)');
  });

  it('a target that fails makes the delivery fail with apprise’s exit status', async () => {
    server.reply((r) => (r.url === '/down' ? { status: 500, body: 'no' } : { status: 200, body: '{}' }));
    const port = new URL(server.baseUrl).port;
    const settings = appriseChannel.validateSettings({ urls: [`json://127.0.0.1:${port}/down`] });
    await assert.rejects(appriseChannel.send(settings, sampleMessage(), testContext()), (err: unknown) => {
      assert.ok(err instanceof ChannelDeliveryError);
      assert.match(err.message, /^apprise failed \(exit status 1\)/);
      return true;
    });
    server.reply(() => ({ status: 200, body: '{}' }));
  });

  it('an Apprise API server: POST to its notify URL through the outbound rules, anyone may use it', async () => {
    const settings = appriseChannel.validateSettings({ apiUrl: `${server.baseUrl}/notify/hive`, tag: 'ops' });
    await appriseChannel.send(settings, sampleMessage({ state: 'RECOVERED' }), testContext());
    const request = server.requests.at(-1)!;
    assert.deepEqual([request.method, request.url], ['POST', '/notify/hive']);
    assert.deepEqual(JSON.parse(request.body), {
      title: 'Missing backup for laptop',
      body: 'The last backup of laptop is older than 2 days (last: 2026-03-01 10:00 UTC).',
      type: 'success',
      format: 'text',
      tag: 'ops',
    });
    assert.equal(appriseChannel.adminOnly!(settings), null);
  });

  it('validates the settings field by field', () => {
    assert.throws(
      () => appriseChannel.validateSettings({ urls: ['not a url', `json://${REDACTED}`], tag: 'a b' }),
      (err: unknown) => {
        assert.ok(err instanceof ChannelSettingsError);
        assert.deepEqual(
          err.fieldErrors.map((e) => e.field),
          ['urls[0]', 'urls[1]', 'tag'],
        );
        return true;
      },
    );
    assert.throws(() => appriseChannel.validateSettings({}), /urls \(run by the apprise CLI\) or apiUrl/);
  });
});
