import { randomUUID } from 'node:crypto';
import { ChannelDeliveryError, REDACTED, type ChannelDriver } from './channel-driver.js';
import { endpointUrl, httpDeliver, statusText } from './http-delivery.js';
import { httpUrlProblem, SettingsReader } from './settings-reader.js';

export interface MatrixSettings {
  /** the homeserver's client API base, e.g. https://matrix.example.org */
  homeserver: string;
  /** an access token of the (bot) user that is a member of the room (secret) */
  accessToken: string;
  /** the room id, !opaque:server (not an alias) */
  roomId: string;
}

const ROOM_ID = /^![^:\s]{1,200}:[^\s]{1,255}$/;
const TOKEN = /^\S{1,512}$/;

/**
 * Client-Server API m.room.message (PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}).
 * The transaction id is the delivery key: a retry of the same delivery is the same event to the server.
 */
export const matrixChannel: ChannelDriver<MatrixSettings, 'MATRIX'> = {
  kind: 'MATRIX',

  validateSettings(raw) {
    const reader = new SettingsReader(raw, ['homeserver', 'accessToken', 'roomId']);
    const homeserver = reader.string('homeserver', httpUrlProblem);
    const accessToken = reader.string('accessToken', (v) =>
      TOKEN.test(v) ? null : 'must be an access token without spaces',
    );
    const roomId = reader.string('roomId', (v) =>
      ROOM_ID.test(v) ? null : 'must be a room id such as !abcdef:matrix.org (not a #alias)',
    );
    return reader.finish({ homeserver, accessToken, roomId });
  },

  async send(settings, message, ctx) {
    const txnId = message.deliveryKey ?? `test-${randomUUID()}`;
    const path =
      `_matrix/client/v3/rooms/${encodeURIComponent(settings.roomId)}/send/m.room.message/` +
      encodeURIComponent(txnId);
    const { status } = await httpDeliver(ctx, 'Matrix', endpointUrl(settings.homeserver, path), {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'BorgHive',
        Authorization: `Bearer ${settings.accessToken}`,
      },
      body: JSON.stringify({ msgtype: 'm.text', body: `${message.title}\n\n${message.body}` }),
    });
    if (status >= 200 && status <= 299) return;
    throw new ChannelDeliveryError('the Matrix homeserver rejected the message', statusText(status));
  },

  redact(settings) {
    return { ...settings, accessToken: REDACTED };
  },
};
