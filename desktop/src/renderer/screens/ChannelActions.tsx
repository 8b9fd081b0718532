import { useMutation } from '@apollo/client/react';
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
      <button
        type="button"
        className="button-danger"
        aria-label={`Delete channel ${name}`}
        disabled={loading}
        onClick={() => {
          if (window.confirm(`Delete the channel “${name}”? Alerts will no longer be sent through it.`))
            void remove({ variables: { id } }).catch(() => null);
        }}
      >
        Delete
      </button>
      {error && (
        <span role="alert" className="error small">
          {errorMessage(error)}
        </span>
      )}
    </>
  );
}
