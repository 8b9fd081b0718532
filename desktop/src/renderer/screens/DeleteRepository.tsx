import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorText } from '../components/ErrorText.js';
import { DELETE_REPOSITORY } from '../graphql/repository-operations.js';
import { navigate } from '../route.js';

/**
 * Deleting keeps the backups on disk unless asked; deleting them needs the repository's name typed in,
 * since nothing brings them back.
 */
export function DeleteRepository({ id, name }: { id: string; name: string }) {
  const [open, setOpen] = useState(false);
  const [withData, setWithData] = useState(false);
  const [typed, setTyped] = useState('');
  const [remove, { loading, error }] = useMutation(DELETE_REPOSITORY);
  const confirmed = !withData || typed === name;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!confirmed) return;
    const result = await remove({ variables: { id, deleteData: withData } }).catch(() => null);
    if (result?.data?.deleteRepository) navigate({ screen: 'overview' });
  };

  return (
    <section className="card card-danger" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete repository</h2>
      {!open ? (
        <button type="button" className="button-danger" onClick={() => setOpen(true)}>
          Delete repository…
        </button>
      ) : (
        <form className="form" onSubmit={(event) => void submit(event)}>
          <p>
            The repository leaves the hive and its keys stop working. Its directory stays on disk unless you
            delete the data too.
          </p>
          <label className="check">
            <input type="checkbox" checked={withData} onChange={(e) => setWithData(e.target.checked)} />
            Also delete the data (every backup in it, for good)
          </label>
          {withData && (
            <label>
              Type the repository name, {name}, to confirm
              <input
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                autoComplete="off"
                spellCheck={false}
              />
            </label>
          )}
          <ErrorText error={error} />
          <div className="actions">
            <button type="button" className="button-secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className="button-danger" disabled={!confirmed || loading}>
              {withData ? 'Delete repository and data' : 'Delete repository, keep data'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
