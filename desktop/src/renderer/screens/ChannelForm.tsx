import { useMutation, useQuery } from '@apollo/client/react';
import { useRef, useState, type FormEvent } from 'react';
import { ErrorText, errorMessage } from '../components/ErrorText.js';
import {
  CHANNEL_REPOSITORY_CHOICES,
  TEST_STORED_NOTIFICATION_CHANNEL,
  UPDATE_NOTIFICATION_CHANNEL,
} from '../graphql/channel-operations.js';
import {
  CREATE_NOTIFICATION_CHANNEL,
  NOTIFICATION_CHANNELS,
  TEST_NOTIFICATION_CHANNEL,
} from '../graphql/operations.js';
import { NOTIFICATION_DELIVERIES } from '../graphql/delivery-operations.js';
import type { NotificationChannel, NotificationChannelInput, NotificationKind } from '../graphql/types.js';
import { channelKinds } from './channel-kinds.js';
import { ChannelRulesFields, rulesFrom, storedChannelRules } from './ChannelRulesFields.js';
import { formText } from '../form-data.js';

type TestResult = { ok: true } | { ok: false; message: string } | null;

/**
 * Create a channel, or edit `channel`. "Send test" sends with the settings as typed, before anything is
 * saved; when editing, secrets shown as [redacted] are sent back as they are and keep their stored value.
 */
export function ChannelForm({ channel, onDone }: { channel?: NotificationChannel; onDone?: () => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<NotificationKind>(channel?.kind ?? 'EMAIL');
  const [testResult, setTestResult] = useState<TestResult>(null);
  const repositories = useQuery(CHANNEL_REPOSITORY_CHOICES);
  const [create, creating] = useMutation(CREATE_NOTIFICATION_CHANNEL, {
    refetchQueries: [NOTIFICATION_CHANNELS],
  });
  const [update, updating] = useMutation(UPDATE_NOTIFICATION_CHANNEL, {
    refetchQueries: [NOTIFICATION_CHANNELS],
  });
  const [test, testing] = useMutation(TEST_NOTIFICATION_CHANNEL);
  const [testStored, testingStored] = useMutation(TEST_STORED_NOTIFICATION_CHANNEL, {
    refetchQueries: [NOTIFICATION_DELIVERIES],
  });
  const saving = creating.loading || updating.loading;
  const titleId = channel ? `edit-channel-${channel.id}-title` : 'new-channel-title';
  const storedSettings = channel && channel.kind === kind ? channel.settings : {};
  const limitedTo = new Set(channel?.repositories.map((r) => r.id) ?? []);

  const readInput = (): NotificationChannelInput | null => {
    const form = formRef.current;
    if (!form) return null;
    quietHoursBothEnds(form);
    if (!form.reportValidity()) return null;
    const data = new FormData(form);
    // Settings the form has no field for (e.g. an Apprise CLI channel's `urls`) go back as stored.
    const settings: Record<string, unknown> = { ...storedSettings };
    for (const field of channelKinds[kind].fields) {
      const value = formText(data, `setting.${field.name}`).trim();
      if (value) settings[field.name] = value;
      else delete settings[field.name];
    }
    return {
      name: formText(data, 'name').trim(),
      kind,
      enabled: data.get('enabled') === 'on',
      settings,
      rules: { ...rulesFrom(data) },
      repositoryIds: data.getAll('repositoryIds').filter((v): v is string => typeof v === 'string'),
    };
  };

  const sendTest = async (): Promise<void> => {
    const input = readInput();
    if (!input) return;
    setTestResult(null);
    try {
      const { data } = channel
        ? await testStored({ variables: { id: channel.id, input } })
        : await test({ variables: { input } });
      setTestResult(
        data?.testNotificationChannel
          ? { ok: true }
          : { ok: false, message: 'The provider refused the message.' },
      );
    } catch (cause) {
      setTestResult({ ok: false, message: errorMessage(cause) });
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const input = readInput();
    if (!input) return;
    const saved = channel
      ? await update({ variables: { id: channel.id, input } }).catch(() => null)
      : await create({ variables: { input } }).catch(() => null);
    if (saved?.data) {
      if (!channel) formRef.current?.reset();
      setTestResult(null);
      onDone?.();
    }
  };

  return (
    <form
      ref={formRef}
      className="card form"
      onSubmit={(event) => void submit(event)}
      aria-labelledby={titleId}
    >
      <h2 id={titleId}>{channel ? `Edit channel ${channel.name}` : 'New channel'}</h2>
      <div className="grid-2">
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="On-call" defaultValue={channel?.name} />
        </label>
        <label>
          Kind
          <select
            name="kind"
            value={kind}
            onChange={(event) => {
              setKind(event.target.value as NotificationKind);
              setTestResult(null);
            }}
          >
            {Object.entries(channelKinds).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset key={kind}>
        <legend>{channelKinds[kind].label} settings</legend>
        {channel && channel.kind === kind && (
          <p className="muted small">Secrets show as [redacted]: leave them so to keep them.</p>
        )}
        {channelKinds[kind].fields.map((field) => {
          const stored = storedSettings[field.name];
          const value =
            typeof stored === 'string' || typeof stored === 'number' || typeof stored === 'boolean'
              ? String(stored)
              : undefined;
          return (
            <label key={field.name}>
              {field.label}
              {field.type === 'select' ? (
                <select name={`setting.${field.name}`} required={field.required} defaultValue={value}>
                  {field.options?.map((option) => (
                    <option key={option}>{option}</option>
                  ))}
                </select>
              ) : (
                <input
                  name={`setting.${field.name}`}
                  type={field.type}
                  required={field.required}
                  placeholder={field.placeholder}
                  defaultValue={value}
                  autoComplete="off"
                />
              )}
            </label>
          );
        })}
      </fieldset>
      <ChannelRulesFields rules={storedChannelRules(channel?.rules)} />
      {repositories.data ? (
        <label>
          Only for these repositories (none chosen: every repository you may see)
          <select name="repositoryIds" multiple size={5} defaultValue={[...limitedTo]}>
            {repositories.data.repositories.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        !repositories.error && <p className="muted small">Loading repositories…</p>
      )}
      <ErrorText error={repositories.error} />
      <label className="check">
        <input type="checkbox" name="enabled" defaultChecked={channel?.enabled ?? true} /> Enabled
      </label>
      {testResult?.ok && (
        <p role="status" className="success">
          Test message sent.
        </p>
      )}
      {testResult && !testResult.ok && (
        <p role="alert" className="error" data-testid="channel-test-error">
          Test failed: {testResult.message}
        </p>
      )}
      <ErrorText error={channel ? updating.error : creating.error} />
      <div className="actions">
        {onDone && (
          <button type="button" className="button-secondary" onClick={onDone}>
            Cancel
          </button>
        )}
        <button
          type="button"
          className="button-secondary"
          disabled={testing.loading || testingStored.loading}
          onClick={() => void sendTest()}
        >
          {testing.loading || testingStored.loading ? 'Testing…' : 'Send test'}
        </button>
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : channel ? 'Save changes' : 'Create channel'}
        </button>
      </div>
    </form>
  );
}

/** Quiet hours need both ends: the empty one says so (the browser shows it at the field). */
function quietHoursBothEnds(form: HTMLFormElement): void {
  const start = form.elements.namedItem('rules.quietStart');
  const end = form.elements.namedItem('rules.quietEnd');
  if (!(start instanceof HTMLInputElement) || !(end instanceof HTMLInputElement)) return;
  start.setCustomValidity(!start.value && end.value ? 'Give when the quiet hours start too.' : '');
  end.setCustomValidity(start.value && !end.value ? 'Give when the quiet hours end too.' : '');
}
