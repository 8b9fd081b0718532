import { useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorText } from '../components/ErrorText.js';
import { HiveScope } from '../components/HiveScope.js';
import { absoluteTime } from '../format.js';
import { formText } from '../form-data.js';
import { AUDIT_LOG } from '../graphql/security-operations.js';

const PAGE = 100;

/** The audit trail, newest first (an admin sees everyone's, anyone else their own), with filters. */
export function AuditLogScreen({ hiveId }: { hiveId: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <AuditView />
    </HiveScope>
  );
}

interface Filter {
  operation?: string | null;
  actorName?: string | null;
  outcome?: string | null;
}

function AuditView() {
  const [filter, setFilter] = useState<Filter>({});
  const { data, error, fetchMore, loading } = useQuery(AUDIT_LOG, { variables: { filter, first: PAGE } });
  const page = data?.auditLog;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => formText(form, name).trim() || null;
    setFilter({ operation: value('operation'), actorName: value('actorName'), outcome: value('outcome') });
  };
  const more = () =>
    void fetchMore({
      variables: { after: page?.nextCursor ?? null },
      updateQuery: (prev, { fetchMoreResult }) => ({
        auditLog: {
          ...fetchMoreResult.auditLog,
          entries: [...prev.auditLog.entries, ...fetchMoreResult.auditLog.entries],
        },
      }),
    });

  return (
    <>
      <header className="page-header">
        <h1>Audit log</h1>
      </header>
      <form className="card form grid-2" onSubmit={submit} aria-label="Filter the audit log">
        <label>
          Operation
          <input name="operation" placeholder="signIn, createRepository…" />
        </label>
        <label>
          User
          <input name="actorName" />
        </label>
        <label>
          Outcome
          <input name="outcome" placeholder="OK, FAILED, LOCKED, FORBIDDEN…" />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorText error={error} />
      <table className="table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>From</th>
            <th>Operation</th>
            <th>Target</th>
            <th>Outcome</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {(page?.entries ?? []).map((e) => (
            <tr key={e.id}>
              <td>{absoluteTime(e.at)}</td>
              <td>
                {e.actorName ?? ''} {e.via ? `(${e.via})` : ''}
              </td>
              <td>{e.address}</td>
              <td>{e.operation}</td>
              <td>{e.target ?? ''}</td>
              <td>{e.outcome}</td>
              <td>
                <code className="audit-details">{e.details ?? ''}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page?.nextCursor && (
        <button type="button" className="button-secondary" onClick={more} disabled={loading}>
          Older entries
        </button>
      )}
    </>
  );
}
