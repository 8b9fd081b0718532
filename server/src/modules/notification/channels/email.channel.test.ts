import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChannelDeliveryError, ChannelSettingsError } from './channel-driver.js';
import { emailChannel } from './email.channel.js';
import { sampleMessage, testContext } from './testing/factories.js';
import { startSmtpSink, type SmtpSink } from './testing/smtp-sink.js';

const FROM = 'Borg Hive <hive@example.org>';

describe('e-mail channel', () => {
  let sink: SmtpSink;
  before(async () => {
    sink = await startSmtpSink({ unknownRecipient: 'nobody@example.org' });
  });
  after(() => sink.close());

  it('sends the alert through the configured SMTP server', async () => {
    const settings = emailChannel.validateSettings({ to: 'ops@example.org, Alice.B+borg@example.com' });
    assert.deepEqual(settings.to, ['ops@example.org', 'Alice.B+borg@example.com']);
    await emailChannel.send(settings, sampleMessage(), testContext({ smtp: { url: sink.url, from: FROM } }));

    const { rcptTo, mail } = sink.received.at(-1) ?? assert.fail('nothing received');
    assert.deepEqual(rcptTo, ['ops@example.org', 'Alice.B+borg@example.com']);
    assert.equal(mail.from?.text, '"Borg Hive" <hive@example.org>');
    const to = Array.isArray(mail.to) ? mail.to : [mail.to];
    assert.deepEqual(
      to.flatMap((group) => group?.value.map((a) => a.address) ?? []),
      ['ops@example.org', 'Alice.B+borg@example.com'],
    );
    assert.equal(mail.subject, 'Missing backup for laptop');
    assert.equal(
      mail.text?.trim(),
      'The last backup of laptop is older than 2 days (last: 2026-03-01 10:00 UTC).',
    );
    assert.equal(mail.date?.toISOString(), '2026-03-03T11:00:00.000Z');
  });

  it("fails with the server's reply when it rejects the only recipient", async () => {
    const settings = emailChannel.validateSettings({ to: ['nobody@example.org'] });
    const ctx = testContext({ smtp: { url: sink.url, from: FROM } });
    await assert.rejects(emailChannel.send(settings, sampleMessage(), ctx), (error) => {
      assert.ok(error instanceof ChannelDeliveryError);
      assert.match(
        error.providerText ?? '',
        /^550 5\.1\.1 <nobody@example\.org>: Recipient address rejected/,
      );
      return true;
    });
  });

  it("fails with the server's reply when it refuses the message itself", async () => {
    const strict = await startSmtpSink({ rejectData: true });
    try {
      const settings = emailChannel.validateSettings({ to: 'ops@example.org' });
      const ctx = testContext({ smtp: { url: strict.url, from: FROM } });
      await assert.rejects(emailChannel.send(settings, sampleMessage(), ctx), (error) => {
        assert.ok(error instanceof ChannelDeliveryError);
        assert.equal(error.providerText, '550 5.7.1 Message rejected as spam');
        return true;
      });
      assert.equal(strict.received.length, 0);
    } finally {
      await strict.close();
    }
  });

  it('fails with a clear message when the hive has no SMTP server', async () => {
    const settings = emailChannel.validateSettings({ to: 'ops@example.org' });
    await assert.rejects(
      emailChannel.send(settings, sampleMessage(), testContext({ smtp: null })),
      (error) =>
        error instanceof ChannelDeliveryError && /not configured.*BORGHIVE_SMTP_URL/.test(error.message),
    );
  });

  it('reports wrong SMTP credentials with the server reply', async () => {
    const settings = emailChannel.validateSettings({ to: 'ops@example.org' });
    const url = sink.url.replace(/:[^:@]+@/, ':wrong@');
    await assert.rejects(
      emailChannel.send(settings, sampleMessage(), testContext({ smtp: { url, from: FROM } })),
      (error) => {
        assert.ok(error instanceof ChannelDeliveryError);
        assert.match(error.providerText ?? '', /535 5\.7\.8 Authentication credentials invalid/);
        return true;
      },
    );
  });

  it('lists every invalid address and unknown field', () => {
    assert.throws(
      () =>
        emailChannel.validateSettings({ to: ['ok@example.org', 'not-an-address', 42], cc: 'x@example.org' }),
      (error) => {
        assert.ok(error instanceof ChannelSettingsError);
        assert.deepEqual(
          error.fieldErrors.map((e) => e.field),
          ['cc', 'to[1]', 'to[2]'],
        );
        return true;
      },
    );
    assert.throws(() => emailChannel.validateSettings({ to: [] }), /to: must be an e-mail address or a list/);
    assert.throws(() => emailChannel.validateSettings({}), /to: is required/);
    assert.throws(() => emailChannel.validateSettings(null), /settings: must be a JSON object/);
  });

  it('shows the recipients when redacted (nothing secret)', () => {
    assert.deepEqual(emailChannel.redact({ to: ['ops@example.org'] }), { to: ['ops@example.org'] });
  });
});
