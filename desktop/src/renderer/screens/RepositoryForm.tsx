import { MAX_ALERT_AFTER_DAYS, REPOSITORY_NAME_HTML_PATTERN } from '@borg-hive/rules';
import { useState, type FormEvent } from 'react';
import { ErrorText } from '../components/ErrorText.js';
import type { RepositoryDetail, RepositoryInput, RepositoryMode, SshKey } from '../graphql/types.js';
import { formText } from '../form-data.js';
import { RepositoryShares, sameShares, type ShareChoice } from './RepositoryShares.js';

const GiB = 1024 ** 3;

interface Props {
  /** null while the hive has not answered (no "No SSH keys yet" then). */
  keys: readonly SshKey[] | null;
  /** the groups one may share with (yours; an admin's: all) */
  groups: readonly { id: string; name: string }[];
  initial?: RepositoryDetail;
  busy: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (input: RepositoryInput) => Promise<void>;
}

export function RepositoryForm({ keys, groups, initial, busy, error, submitLabel, onSubmit }: Props) {
  // One access per key: a key is full or append-only, never both (the server would grant full access).
  const [access, setAccess] = useState<ReadonlyMap<string, Access>>(
    () =>
      new Map<string, Access>([
        ...(initial?.sshKeys.map((k): [string, Access] => [k.id, 'full']) ?? []),
        ...(initial?.appendOnlySshKeys.map((k): [string, Access] => [k.id, 'append']) ?? []),
      ]),
  );
  const [mode, setMode] = useState<RepositoryMode>(initial?.mode ?? 'BORG');
  const initialShares = initial?.shares.map((s) => ({ groupId: s.group.id, role: s.role })) ?? [];
  const [shares, setShares] = useState<ShareChoice[]>(initialShares);
  // A group it is shared with stays listed even when it is not one of yours (saving keeps that share).
  const shareable = [
    ...groups,
    ...(initial?.shares.map((s) => s.group).filter((g) => !groups.some((o) => o.id === g.id)) ?? []),
  ];
  const withAccess = (wanted: Access): string[] =>
    [...access].filter(([, given]) => given === wanted).map(([id]) => id);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const quota = formText(form, 'quota').trim();
    const alert = formText(form, 'alertAfterDays').trim();
    void onSubmit({
      name: formText(form, 'name').trim(),
      mode,
      sshKeyIds: withAccess('full'),
      // rsync modes have no append-only access (rrsync decides what a key may do).
      appendOnlySshKeyIds: mode === 'BORG' ? withAccess('append') : [],
      // The server reads null as "leave it" and 0 as "none": an emptied field must clear the value.
      quotaBytes: quota ? Math.round(Number(quota) * GiB) : 0,
      alertAfterDays: alert ? Number(alert) : 0,
      // Only the owner or an admin may change the shares: a manager's save leaves them out unless changed.
      ...(sameShares(shares, initialShares) ? {} : { shares }),
    }).catch(() => {});
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Repository">
      <label>
        Name
        <input
          name="name"
          required
          pattern={REPOSITORY_NAME_HTML_PATTERN}
          defaultValue={initial?.name}
          aria-describedby="name-hint"
        />
        <span id="name-hint" className="hint">
          Letters, digits, “.”, “_” and “-”; up to 64 characters.
        </span>
      </label>
      <fieldset>
        <legend>Mode</legend>
        <div className="segmented">
          {(['BORG', 'IMPORT', 'EXPORT'] as const).map((choice) => (
            <label key={choice}>
              <input
                type="radio"
                name="mode"
                value={choice}
                checked={mode === choice}
                onChange={() => setMode(choice)}
              />
              {choice === 'BORG' ? 'Borg' : choice === 'IMPORT' ? 'Import (rsync in)' : 'Export (rsync out)'}
            </label>
          ))}
        </div>
      </fieldset>
      <KeyChoice
        keys={keys}
        access={access}
        appendOnly={mode === 'BORG'}
        onChange={(id, given) => setAccess(new Map(access).set(id, given))}
      />
      <RepositoryShares groups={shareable} shares={shares} onChange={setShares} />
      <div className="grid-2">
        <label>
          Quota (GiB)
          <input
            name="quota"
            type="number"
            min="0"
            step="any"
            placeholder="no quota"
            defaultValue={initial?.quotaBytes ? +(initial.quotaBytes / GiB).toFixed(3) : undefined}
          />
        </label>
        <label>
          Alert after (days without backup)
          <input
            name="alertAfterDays"
            type="number"
            min="1"
            max={MAX_ALERT_AFTER_DAYS}
            step="1"
            placeholder="never"
            defaultValue={initial?.alertAfterDays ?? undefined}
          />
        </label>
      </div>
      <ErrorText error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

type Access = 'none' | 'full' | 'append';

interface KeyChoiceProps {
  keys: readonly SshKey[] | null;
  access: ReadonlyMap<string, Access>;
  /** Borg repositories only: rsync modes have one kind of access. */
  appendOnly: boolean;
  onChange: (id: string, access: Access) => void;
}

function KeyChoice({ keys: loaded, access, appendOnly, onChange }: KeyChoiceProps) {
  const keys = loaded ?? [];
  const options: [Access, string][] = [
    ['none', 'No access'],
    ['full', 'Full access'],
    ...(appendOnly ? ([['append', 'Append-only']] as [Access, string][]) : []),
  ];
  return (
    <fieldset>
      <legend>SSH keys</legend>
      {loaded?.length === 0 && <p className="muted small">No SSH keys yet.</p>}
      {appendOnly && keys.length > 0 && (
        <p className="hint">
          Append-only keys can add backups but not delete or prune them: give those to the machines being
          backed up.
        </p>
      )}
      {keys.map((key) => {
        const given = access.get(key.id) ?? 'none';
        const shown = given === 'append' && !appendOnly ? 'none' : given;
        return (
          <fieldset key={key.id} className="key-access">
            <legend>
              {key.name}{' '}
              <span className="muted mono small truncate" title={key.fingerprint}>
                {key.fingerprint}
              </span>
            </legend>
            <div className="segmented">
              {options.map(([value, label]) => (
                <label key={value}>
                  <input
                    type="radio"
                    name={`key-${key.id}`}
                    value={value}
                    checked={shown === value}
                    onChange={() => onChange(key.id, value)}
                  />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
        );
      })}
    </fieldset>
  );
}
