import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { ErrorText } from '../components/ErrorText.js';
import { HiveScope } from '../components/HiveScope.js';
import { absoluteTime, formatBytes } from '../format.js';
import type { BorgVersion } from '../graphql/types.js';
import {
  BACKUP_RUN,
  BACKUP_RUN_CHANGED,
  CANCEL_BACKUP_RUN,
  RUN_MAINTENANCE,
} from '../graphql/backup-operations.js';

/** One run: state, a progress bar and the log, both live over backupRunChanged. */
export function BackupRunPage({ hiveId, id }: { hiveId: string; id: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <RunView id={id} />
    </HiveScope>
  );
}

function RunView({ id }: { id: string }) {
  const { data, error } = useQuery(BACKUP_RUN, { variables: { id } });
  const live = useSubscription(BACKUP_RUN_CHANGED, { variables: { runId: id } });
  const [cancel, cancelling] = useMutation(CANCEL_BACKUP_RUN);
  const stored = data?.backupRun;
  const current = live.data?.backupRunChanged ?? stored;
  if (!current) return <ErrorText error={error} />;
  const progress = current.progress;
  // borg does not know the total in advance: the bar compares what was deduplicated with what was read
  const ratio =
    progress && progress.originalBytes > 0 ? progress.deduplicatedBytes / progress.originalBytes : 0;
  const log = live.data?.backupRunChanged.log ?? stored?.log ?? '';
  return (
    <>
      <header className="page-header">
        <h1>
          {current.kind} run #{current.id}: {current.state}
        </h1>
      </header>
      <ErrorText error={error ?? live.error ?? cancelling.error} />
      <div className="card">
        <p>{current.message ?? ''}</p>
        <p className="small">
          started {absoluteTime(current.startedAt)}
          {current.finishedAt ? `, finished ${absoluteTime(current.finishedAt)}` : ''}
          {current.exitCode !== null && current.exitCode !== undefined
            ? `, exit code ${current.exitCode}`
            : ''}
          {current.archiveName ? `, archive ${current.archiveName}` : ''}
        </p>
        {progress && (
          <>
            <progress
              value={current.state === 'RUNNING' ? undefined : 1}
              max={1}
              aria-label="backup progress"
            />
            <p className="small">
              read {formatBytes(progress.originalBytes)} in {progress.files} files, compressed{' '}
              {formatBytes(progress.compressedBytes)}, new {formatBytes(progress.deduplicatedBytes)} (
              {Math.round(ratio * 100)}% new)
              {progress.currentPath && current.state === 'RUNNING' ? ` · ${progress.currentPath}` : ''}
            </p>
          </>
        )}
        {(current.state === 'RUNNING' || current.state === 'QUEUED') && (
          <button
            type="button"
            className="button-danger"
            onClick={() => void cancel({ variables: { id } }).catch(() => {})}
          >
            Cancel
          </button>
        )}
      </div>
      <h2>Log</h2>
      <pre className="card mono small" aria-label="run log">
        {log}
      </pre>
    </>
  );
}

/** Compact, check or break the lock of a repository on its storage node (no borg key needed). */
export function MaintenanceButtons({
  repositoryId,
  borgVersion,
}: {
  repositoryId: string;
  borgVersion: BorgVersion;
}) {
  const [run, running] = useMutation(RUN_MAINTENANCE);
  const start = (task: 'COMPACT' | 'CHECK' | 'BREAK_LOCK') =>
    void run({ variables: { repositoryId, task } }).catch(() => {});
  // borg 2's compact and check need the borg key the hive does not hold (see the schedules card)
  const withoutKey = borgVersion !== 'BORG2';
  return (
    <div className="actions" aria-label="Maintenance">
      {withoutKey && (
        <button type="button" disabled={running.loading} onClick={() => start('COMPACT')}>
          Compact
        </button>
      )}
      {withoutKey && (
        <button type="button" disabled={running.loading} onClick={() => start('CHECK')}>
          Check
        </button>
      )}
      <button
        type="button"
        className="button-danger"
        disabled={running.loading}
        onClick={() => start('BREAK_LOCK')}
      >
        Break lock
      </button>
      {running.data && (
        <span className="small">
          started {running.data.runMaintenance.kind} run #{running.data.runMaintenance.id}
        </span>
      )}
      <ErrorText error={running.error} />
    </div>
  );
}
