import { useMutation, useQuery } from '@apollo/client/react';
import { MaintenanceButtons } from './BackupRunPage.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorText } from '../components/ErrorText.js';
import { HiveScope } from '../components/HiveScope.js';
import { StateBadges } from '../components/StateBadges.js';
import { absoluteTime, relativeTime } from '../format.js';
import { EVENT_LIMIT, REFRESH_REPOSITORY, REPOSITORY } from '../graphql/operations.js';
import type { RepositoryDetail as Detail, SshKeyRef } from '../graphql/types.js';
import { useHive } from '../hives/hive-connection.js';
import { href } from '../route.js';
import { EventList } from './EventList.js';
import { Usage } from '../components/Usage.js';
import { Statistics } from './Statistics.js';

export function RepositoryDetail({ hiveId, id }: { hiveId: string; id: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <DetailView hiveId={hiveId} id={id} />
    </HiveScope>
  );
}

function DetailView({ hiveId, id }: { hiveId: string; id: string }) {
  const hiveName = useHive(hiveId)?.hive.name ?? '';
  const { data, error, loading } = useQuery(REPOSITORY, { variables: { id, limit: EVENT_LIMIT } });
  const [refresh, refreshing] = useMutation(REFRESH_REPOSITORY, { variables: { id } });
  const repository = data?.repository;
  if (error) return <ErrorText error={error} />;
  if (!repository)
    return <p className="page-message">{loading ? 'Loading…' : 'This repository does not exist.'}</p>;
  const init = `borg init --encryption=repokey-blake2 ${repository.url}`;

  return (
    <>
      <header className="page-header">
        <div>
          <p className="eyebrow">{hiveName}</p>
          <h1>
            {repository.name} <StateBadges repository={repository} />
          </h1>
        </div>
        <div className="actions">
          <button
            type="button"
            className="button-secondary"
            disabled={refreshing.loading}
            onClick={() => void refresh()}
          >
            Refresh
          </button>
          <a className="button" href={href({ screen: 'edit-repository', hiveId, id })}>
            Edit
          </a>
        </div>
      </header>
      <ErrorText error={refreshing.error} />
      <MaintenanceButtons repositoryId={id} />
      <section className="card" aria-labelledby="connect-title">
        <h2 id="connect-title">Connect</h2>
        <CopyRow label="Repository URL" value={repository.url} testId="repository-url" />
        <CopyRow label="Initialise" value={init} testId="borg-init" />
        <CopyRow label="Ping URL (borgmatic healthchecks)" value={repository.pingUrl} />
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="facts-title">
          <h2 id="facts-title">Details</h2>
          <dl className="facts">
            <dt>Last backup</dt>
            <dd title={absoluteTime(repository.lastBackupAt)}>{relativeTime(repository.lastBackupAt)}</dd>
            <dt>Last write on disk</dt>
            <dd title={absoluteTime(repository.lastUpdatedAt)}>{relativeTime(repository.lastUpdatedAt)}</dd>
            <dt>Last access</dt>
            <dd title={absoluteTime(repository.lastAccessAt)}>{relativeTime(repository.lastAccessAt)}</dd>
            <dt>Usage</dt>
            <dd>
              <Usage repository={repository} />
            </dd>
            <dt>Mode</dt>
            <dd>{repository.mode}</dd>
            <dt>Alert after</dt>
            <dd>
              {repository.alertAfterDays ? `${repository.alertAfterDays} days without backup` : 'never'}
            </dd>
            <dt>Repository user</dt>
            <dd className="mono">{repository.repoUser}</dd>
            <dt>Path</dt>
            <dd className="mono">{repository.path}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="keys-title">
          <h2 id="keys-title">Keys</h2>
          <KeyList title="Full access" keys={repository.sshKeys} />
          <KeyList title="Append-only" keys={repository.appendOnlySshKeys} />
        </section>
      </div>
      <Statistics id={repository.id} usageBytes={repository.usageBytes} />
      <section className="card" aria-labelledby="events-title">
        <h2 id="events-title">Events</h2>
        <EventList events={(repository as Detail).events} />
      </section>
    </>
  );
}

function CopyRow({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="copy-row">
      <span className="copy-label">{label}</span>
      <code className="copy-value" data-testid={testId}>
        {value}
      </code>
      <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
    </div>
  );
}

function KeyList({ title, keys }: { title: string; keys: readonly SshKeyRef[] }) {
  return (
    <>
      <h3>{title}</h3>
      {keys.length === 0 ? (
        <p className="muted">None</p>
      ) : (
        <ul className="plain-list">
          {keys.map((key) => (
            <li key={key.id}>
              {key.name} <span className="muted mono small">{key.fingerprint}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
