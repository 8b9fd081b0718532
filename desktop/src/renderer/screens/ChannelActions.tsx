import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { DeleteButton } from '../components/DeleteButton.js';
import { errorMessage } from '../components/ErrorText.js';
import {
  TEST_STORED_NOTIFICATION_CHANNEL,
  UPDATE_NOTIFICATION_CHANNEL,
} from '../graphql/channel-operations.js';
import { DELETE_NOTIFICATION_CHANNEL, NOTIFICATION_DELIVERIES } from '../graphql/delivery-operations.js';
import { NOTIFICATION_CHANNELS } from '../graphql/operations.js';
import type { NotificationChannel } from '../graphql/types.js';

/**
 * A channel's row actions: edit (the form opens below), enable or disable, a test through its stored
 * settings (logged in its delivery log), and delete, which asks first: its pending deliveries go with it.
 */
export function ChannelActions({ channel, onEdit }: { channel: NotificationChannel; onEdit: () => void }) {
  const { id, name } = channel;
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [remove, removing] = useMutation(DELETE_NOTIFICATION_CHANNEL, {
    refetchQueries: [NOTIFICATION_CHANNELS],
  });
  const [update, updating] = useMutation(UPDATE_NOTIFICATION_CHANNEL, {
    refetchQueries: [NOTIFICATION_CHANNELS],
  });
  const [test, testing] = useMutation(TEST_STORED_NOTIFICATION_CHANNEL, {
    refetchQueries: [NOTIFICATION_DELIVERIES],
  });
  const toggle = async (): Promise<void> => {
    setNote(null);
    // settings go back as shown: redacted secrets keep their stored value; rules and the limit stay
    await update({
      variables: {
        id,
        input: { name, kind: channel.kind, enabled: !channel.enabled, settings: channel.settings },
      },
    }).catch((cause: unknown) => setNote({ ok: false, text: errorMessage(cause) }));
  };
  const sendTest = async (): Promise<void> => {
    setNote(null);
    try {
      await test({ variables: { id } });
      setNote({ ok: true, text: 'Test message sent.' });
    } catch (cause) {
      setNote({ ok: false, text: `Test failed: ${errorMessage(cause)}` });
    }
  };
  const error = removing.error;
  return (
    <>
      <button type="button" className="button-secondary" aria-label={`Edit channel ${name}`} onClick={onEdit}>
        Edit
      </button>
      <button
        type="button"
        className="button-secondary"
        aria-label={`${channel.enabled ? 'Disable' : 'Enable'} channel ${name}`}
        disabled={updating.loading}
        onClick={() => void toggle()}
      >
        {channel.enabled ? 'Disable' : 'Enable'}
      </button>
      <button
        type="button"
        className="button-secondary"
        aria-label={`Send a test through ${name}`}
        disabled={testing.loading}
        onClick={() => void sendTest()}
      >
        {testing.loading ? 'Testing…' : 'Send test'}
      </button>
      <DeleteButton
        label={`Delete channel ${name}`}
        confirm={`Delete the channel “${name}”? Alerts will no longer be sent through it.`}
        busy={removing.loading}
        onConfirmed={() => void remove({ variables: { id } }).catch(() => null)}
      />
      {note && (
        <span
          role={note.ok ? 'status' : 'alert'}
          className={`${note.ok ? 'success' : 'error'} small cell-note`}
        >
          {note.text}
        </span>
      )}
      {error && (
        <span role="alert" className="error small cell-note">
          {errorMessage(error)}
        </span>
      )}
    </>
  );
}
