import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { CopyButton } from '../components/CopyButton.js';
import { DeleteButton } from '../components/DeleteButton.js';
import { ErrorText } from '../components/ErrorText.js';
import { LOCATIONS } from '../graphql/admin-operations.js';
import { HiveScope } from '../components/HiveScope.js';
import { ListTable } from '../components/ListTable.js';
import { absoluteTime, relativeTime } from '../format.js';
import { API_TOKENS, CREATE_API_TOKEN, REVOKE_API_TOKEN } from '../graphql/api-token-operations.js';
import type { TokenScope } from '../graphql/types.js';
import { formText } from '../form-data.js';

const scopes: readonly { scope: TokenScope; label: string }[] = [
  { scope: 'READ_ONLY', label: 'Read only: queries and subscriptions' },
  { scope: 'FULL', label: 'Full: everything you may do' },
  { scope: 'KEYS_READ', label: 'Keys: authorized_keys lookups (borg-hive-keys on a storage node)' },
  { scope: 'AGENT', label: 'Agent: reports repository events from a storage node' },
  { scope: 'METRICS', label: 'Metrics: GET /metrics for Prometheus (admins)' },
];

export function ApiTokens({ hiveId }: { hiveId: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <TokensView />
    </HiveScope>
  );
}

function TokensView() {
  const { data, error } = useQuery(API_TOKENS);
  const [create, creating] = useMutation(CREATE_API_TOKEN, { refetchQueries: [API_TOKENS] });
  const [revoke, revoking] = useMutation(REVOKE_API_TOKEN, { refetchQueries: [API_TOKENS] });
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [scope, setScope] = useState<TokenScope>('READ_ONLY');
  const locations = useQuery(LOCATIONS, { skip: scope !== 'AGENT' });

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const expires = formText(form, 'expires');
    const result = await create({
      variables: {
        name: formText(form, 'name').trim(),
        scope: formText(form, 'scope') as TokenScope,
        // an AGENT token serves the storage node of one location
        locationId: formText(form, 'scope') === 'AGENT' ? formText(form, 'locationId') || null : null,
        // The end of the chosen day, local time.
        expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
      },
    }).catch(() => null);
    if (!result?.data) return;
    setCreated({ name: result.data.createApiToken.apiToken.name, token: result.data.createApiToken.token });
    formElement.reset();
    setScope('READ_ONLY');
  };

  return (
    <>
      <header className="page-header">
        <h1>API tokens</h1>
      </header>
      <ErrorText error={error ?? revoking.error} />
      {created && (
        <section className="card created-token" aria-labelledby="created-token-title">
          <h2 id="created-token-title">Token “{created.name}” created</h2>
          <p className="notice">Copy it now: the hive keeps only a hash and will never show it again.</p>
          <div className="copy-row">
            <span className="copy-label">Token</span>
            <code className="copy-value" data-testid="created-token">
              {created.token}
            </code>
            <CopyButton text={created.token} label="Copy token" />
          </div>
          <div className="actions">
            <button type="button" className="button-secondary" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </section>
      )}
      <form className="card form" onSubmit={(event) => void submit(event)} aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <div className="grid-2">
          <label>
            Name
            <input name="name" required maxLength={100} placeholder="storage node keys" />
          </label>
          <label>
            Expires
            <input name="expires" type="date" aria-describedby="expires-hint" />
            <span id="expires-hint" className="hint">
              Empty: never.
            </span>
          </label>
        </div>
        <label>
          Scope
          <select
            name="scope"
            defaultValue="READ_ONLY"
            onChange={(event) => setScope(event.currentTarget.value as TokenScope)}
          >
            {scopes.map(({ scope, label }) => (
              <option key={scope} value={scope}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {scope === 'AGENT' && (
          <label>
            Location (the storage node this agent watches)
            <select name="locationId" required>
              {(locations.data?.locations ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <ErrorText error={creating.error ?? locations.error} />
        <div className="actions">
          <button type="submit" disabled={creating.loading}>
            {creating.loading ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
      <ListTable
        label="API tokens"
        columns={['Name', 'Scope', 'Expires', 'Last used']}
        actions
        rows={data?.apiTokens}
        failed={error !== undefined}
        loading="Loading tokens…"
        empty="No tokens yet."
      >
        {(token) => (
          <tr key={token.id} className={token.revokedAt ? 'row-muted' : undefined}>
            <th scope="row">
              <span>{token.name}</span>
              <div className="muted small">created {relativeTime(token.createdAt)}</div>
            </th>
            <td className="mono small">{token.scope}</td>
            <td title={absoluteTime(token.expiresAt)}>
              {token.expiresAt ? relativeTime(token.expiresAt) : 'never'}
            </td>
            <td title={absoluteTime(token.lastUsedAt)}>{relativeTime(token.lastUsedAt)}</td>
            <td className="cell-actions">
              {token.revokedAt ? (
                <span className="muted">revoked</span>
              ) : (
                <DeleteButton
                  label={`Revoke token ${token.name}`}
                  confirm={`Revoke token “${token.name}”? Whatever uses it stops working.`}
                  busy={revoking.loading}
                  onConfirmed={() => void revoke({ variables: { id: token.id } }).catch(() => {})}
                >
                  Revoke
                </DeleteButton>
              )}
            </td>
          </tr>
        )}
      </ListTable>
    </>
  );
}
