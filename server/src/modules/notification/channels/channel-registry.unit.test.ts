import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChannelSettingsError, REDACTED } from './channel-driver.js';
import {
  channelDrivers,
  configureChannel,
  isNotificationKind,
  notificationKinds,
} from './channel-registry.js';

describe('channel registry', () => {
  it('holds the four kinds of the contract and the operators’ five, each under its own name', () => {
    assert.deepEqual(notificationKinds, [
      'EMAIL',
      'PUSHOVER',
      'WEBHOOK',
      'NTFY',
      'APPRISE',
      'GOTIFY',
      'TELEGRAM',
      'MATRIX',
      'UPTIME_KUMA',
    ]);
    for (const kind of notificationKinds) assert.equal(channelDrivers[kind].kind, kind);
    assert.equal(isNotificationKind('NTFY'), true);
    assert.equal(isNotificationKind('SLACK'), false);
    assert.equal(isNotificationKind('toString'), false);
  });

  it('binds validated settings to the driver and exposes only redacted ones', () => {
    const channel = configureChannel('NTFY', { topic: 'backups', token: 'tk_secret' });
    assert.equal(channel.kind, 'NTFY');
    assert.deepEqual(channel.redacted, { server: 'https://ntfy.sh', topic: 'backups', token: REDACTED });
  });

  it('refuses settings that do not fit the kind', () => {
    assert.throws(() => configureChannel('EMAIL', { topic: 'backups' }), ChannelSettingsError);
  });
});
