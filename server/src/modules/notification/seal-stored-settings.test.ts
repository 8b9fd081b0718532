import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { NotificationChannel } from './notification-channel.entity.js';
import { NotificationKind } from './notification-kind.js';
import { sealStoredChannelSettings } from './seal-stored-settings.js';
import { User } from '../user/index.js';

describe('start-up: channel settings stored in clear are sealed', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive();
  });
  after(() => hive?.dispose());

  it('reads a plaintext row, seals it (dropping the old Pushover baseUrl) and leaves sealed rows alone', async () => {
    const em = hive.services.orm.em.fork() as Em;
    const plain = { appToken: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi', userKey: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG' };
    const legacy = em.create(NotificationChannel, {
      name: 'legacy',
      kind: NotificationKind.PUSHOVER,
      settings: { ...plain, baseUrl: 'http://169.254.169.254' },
      owner: em.getReference(User, 1),
    });
    await em.flush();
    assert.throws(
      () => hive.services.channels.redacted(legacy),
      /baseUrl/,
      'the old field is refused when read',
    );

    assert.equal(
      await sealStoredChannelSettings(hive.services.orm.em.fork() as Em, hive.services.channels.secrets),
      1,
    );
    const rows = await em
      .getConnection()
      .execute<{ settings: unknown }[]>('select settings from notification_channels where id = ?', [
        legacy.id,
      ]);
    const raw = JSON.stringify(rows[0]?.settings);
    assert.ok(!raw.includes(plain.appToken) && !raw.includes(plain.userKey) && !raw.includes('169.254'), raw);
    const reread = await hive.services.orm.em.fork().findOneOrFail(NotificationChannel, { id: legacy.id });
    assert.deepEqual(hive.services.channels.secrets.open(reread.settings), plain);
    assert.deepEqual(hive.services.channels.redacted(reread), {
      appToken: '[redacted]',
      userKey: '[redacted]',
    });
    assert.equal(
      await sealStoredChannelSettings(hive.services.orm.em.fork() as Em, hive.services.channels.secrets),
      0,
    );
  });
});
