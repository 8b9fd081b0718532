import { useMutation, useQuery } from '@apollo/client/react';
import { MaintenanceButtons } from './BackupRunPage.js';
import { useEffect } from 'react';
import { HEALTH_LABELS } from '../components/HealthBadge.js';
import { ErrorText } from '../components/ErrorText.js';
import { HiveScope } from '../components/HiveScope.js';
import { StateBadges } from '../components/StateBadges.js';
import { absoluteTime, relativeTime } from '../format.js';
import { EVENT_LIMIT, REFRESH_REPOSITORY, REPOSITORY } from '../graphql/operations.js';
import type { RepositoryDetail as Detail, SshKeyRef } from '../graphql/types.js';
import { useConnectionState, useHive } from '../hives/hive-connection.js';
import { href } from '../route.js';
import { EventList } from './EventList.js';
import { Usage } from '../components/Usage.js';
import { DeliveryLog } from './Deliveries.js';
import { SHARE_ROLES } from './RepositoryShares.js';
import { DeleteRepository } from './DeleteRepository.js';
import { MaintenanceSchedules } from './MaintenanceSchedules.js';
import { RepositorySetup } from './RepositorySetup.js';
import { Statistics } from './Statistics.js';

export function RepositoryDetail({ hiveId, id }: { hiveId: string; id: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <DetailView hiveId={hiveId} id={id} />
    </HiveScope>
  );
}

function DetailView({ hiveId, id }: { hiveId: string; id: string }) {
  const connection = useHive(hiveId);
  const link = useConnectionState(connection);
  const offline = link.kind === 'offline' || link.kind === 'signed-out' || link.kind === 'wrong-certificate';
  const { data, error, loading } = useQuery(REPOSITORY, { variables: { id, limit: EVENT_LIMIT } });
  const [refresh, refreshing] = useMutation(REFRESH_REPOSITORY, { variables: { id } });
  const repository = data?.repository;
  useEffect(() => {
    if (repository) document.title = `${repository.name} · Borg Hive`;
  }, [repository]);
  if (!repository) {
    if (error) return <ErrorText error={error} />;
    return <p className="page-message">{loading ? 'Loading…' : 'This repository does not exist.'}</p>;
  }

  return (
    <>
      <header className="page-header">
        <div>
          <p className="eyebrow">{connection?.hive.name ?? ''}</p>
          <h1>
            {repository.name} <StateBadges repository={repository} offline={offline} />
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
      {/* Shown beside the last known data: an outage does not blank the page. */}
      {!offline && <ErrorText error={error} />}
      <ErrorText error={refreshing.error} />
      {repository.mode === 'BORG' && (
        <MaintenanceButtons repositoryId={id} borgVersion={repository.borgVersion} />
      )}
      <HealthCard repository={repository} offline={offline} />
      <RepositorySetup repository={repository} />
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
              {repository.alertAfterDays
                ? `${repository.alertAfterDays} days without backup`
                : 'never (alerts off)'}
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
          <h3>Shared with</h3>
          {repository.shares.length === 0 ? (
            <p className="muted">No group</p>
          ) : (
            <ul className="plain-list">
              {repository.shares.map((share) => (
                <li key={share.group.id}>
                  {share.group.name} <span className="muted small">{SHARE_ROLES[share.role]}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <MaintenanceSchedules repositoryId={id} mode={repository.mode} borgVersion={repository.borgVersion} />
      <Statistics id={repository.id} usageBytes={repository.usageBytes} />
      <section className="card" aria-labelledby="events-title">
        <h2 id="events-title">Events</h2>
        <EventList events={(repository as Detail).events} />
      </section>
      <section aria-labelledby="alert-history-title">
        <h2 id="alert-history-title">Alert history</h2>
        <DeliveryLog hiveId={hiveId} repositoryId={repository.id} />
      </section>
      <DeleteRepository id={repository.id} name={repository.name} />
    </>
  );
}

/** The hive's verdict in words: state, why, since when, and whether anyone is told when it goes wrong. */
function HealthCard({ repository, offline }: { repository: Detail; offline: boolean }) {
  const { health } = repository;
  return (
    <section className="card" aria-labelledby="health-title" data-testid="health">
      <h2 id="health-title">Health</h2>
      <p>
        <strong data-testid="health-state">
          {offline ? `Last known: ${HEALTH_LABELS[health.state]}` : HEALTH_LABELS[health.state]}
        </strong>{' '}
        — <span data-testid="health-reason">{health.reason}</span>
        {health.since && (
          <span className="muted" title={absoluteTime(health.since)}>
            {' '}
            (since {relativeTime(health.since)})
          </span>
        )}
      </p>
      {offline && <p className="muted">The hive is not connected: this is the state it last reported.</p>}
      <p className="muted">
        {repository.alertAfterDays
          ? `Alerts after ${repository.alertAfterDays} days without a backup.`
          : 'Alerts off: no alert days are set, so nobody is told when backups stop.'}
      </p>
    </section>
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
