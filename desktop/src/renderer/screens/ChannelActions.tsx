import { useMutation } from '@apollo/client/react';
import { DeleteButton } from '../components/DeleteButton.js';
import { errorMessage } from '../components/ErrorText.js';
import { DELETE_NOTIFICATION_CHANNEL } from '../graphql/delivery-operations.js';
import { NOTIFICATION_CHANNELS } from '../graphql/operations.js';

/** Deleting a channel asks first: its pending deliveries go with it. */
export function ChannelActions({ id, name }: { id: string; name: string }) {
  const [remove, { loading, error }] = useMutation(DELETE_NOTIFICATION_CHANNEL, {
    refetchQueries: [NOTIFICATION_CHANNELS],
  });
  return (
    <>
      <DeleteButton
        label={`Delete channel ${name}`}
        confirm={`Delete the channel “${name}”? Alerts will no longer be sent through it.`}
        busy={loading}
        onConfirmed={() => void remove({ variables: { id } }).catch(() => null)}
      />
      {error && (
        <span role="alert" className="error small">
          {errorMessage(error)}
        </span>
      )}
    </>
  );
}
