import { MAX_ALERT_AFTER_DAYS, REPOSITORY_NAME_HTML_PATTERN } from '@borg-hive/rules';
import { useState, type FormEvent } from 'react';
import { ErrorText } from '../components/ErrorText.js';
import type { RepositoryDetail, RepositoryInput, RepositoryMode, SshKey } from '../graphql/types.js';
import { formText } from '../form-data.js';

const GiB = 1024 ** 3;

interface Props {
  keys: readonly SshKey[];
  initial?: RepositoryDetail;
  busy: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (input: RepositoryInput) => Promise<void>;
}

export function RepositoryForm({ keys, initial, busy, error, submitLabel, onSubmit }: Props) {
  const [full, setFull] = useState(() => new Set(initial?.sshKeys.map((k) => k.id)));
  const [appendOnly, setAppendOnly] = useState(() => new Set(initial?.appendOnlySshKeys.map((k) => k.id)));
  const toggle = (set: Set<string>, id: string, on: boolean): Set<string> => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  };

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const quota = formText(form, 'quota').trim();
    const alert = formText(form, 'alertAfterDays').trim();
    void onSubmit({
      name: formText(form, 'name').trim(),
      mode: formText(form, 'mode') as RepositoryMode,
      sshKeyIds: [...full],
      appendOnlySshKeyIds: [...appendOnly],
      // The server reads null as "leave it" and 0 as "none": an emptied field must clear the value.
      quotaBytes: quota ? Math.round(Number(quota) * GiB) : 0,
      alertAfterDays: alert ? Number(alert) : 0,
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
          {(['BORG', 'IMPORT', 'EXPORT'] as const).map((mode) => (
            <label key={mode}>
              <input
                type="radio"
                name="mode"
                value={mode}
                defaultChecked={(initial?.mode ?? 'BORG') === mode}
              />
              {mode === 'BORG' ? 'Borg' : mode === 'IMPORT' ? 'Import (rsync in)' : 'Export (rsync out)'}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid-2">
        <KeyChoice
          legend="Full access keys"
          keys={keys}
          chosen={full}
          onChange={(id, on) => setFull(toggle(full, id, on))}
        />
        <KeyChoice
          legend="Append-only keys"
          keys={keys}
          chosen={appendOnly}
          onChange={(id, on) => setAppendOnly(toggle(appendOnly, id, on))}
        />
      </div>
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

interface KeyChoiceProps {
  legend: string;
  keys: readonly SshKey[];
  chosen: ReadonlySet<string>;
  onChange: (id: string, on: boolean) => void;
}

function KeyChoice({ legend, keys, chosen, onChange }: KeyChoiceProps) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {keys.length === 0 && <p className="muted small">No SSH keys yet.</p>}
      {keys.map((key) => (
        <label key={key.id} className="check">
          <input
            type="checkbox"
            checked={chosen.has(key.id)}
            onChange={(event) => onChange(key.id, event.target.checked)}
          />
          {key.name}
          <span className="muted mono small truncate" title={key.fingerprint}>
            {key.fingerprint}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
