import type { Em } from '../../db/orm.js';
import { ChannelSecrets } from './channel-secrets.js';
import { NotificationChannel } from './notification-channel.entity.js';
import { NotificationKind } from './notification-kind.js';

/**
 * Start-up step: seals the settings of channels stored in clear (written before encryption), and drops
 * the per-channel Pushover `baseUrl` of that time (the API host is now `BORGHIVE_PUSHOVER_API_URL`).
 * Idempotent; two processes doing it at once write equivalent values. Returns how many rows changed.
 */
export async function sealStoredChannelSettings(em: Em, secrets: ChannelSecrets): Promise<number> {
  let changed = 0;
  const channels = await em.find(NotificationChannel, {}, { fields: ['id', 'kind', 'settings'] });
  for (const channel of channels) {
    const stored: Record<string, unknown> = channel.settings;
    if (ChannelSecrets.isSealed(stored)) continue;
    const { baseUrl: _legacy, ...rest } = stored;
    const settings = channel.kind === NotificationKind.PUSHOVER ? rest : stored;
    changed += await em.nativeUpdate(
      NotificationChannel,
      { id: channel.id },
      { settings: secrets.seal(settings) },
    );
  }
  return changed;
}
