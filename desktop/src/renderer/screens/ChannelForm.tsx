import { useMutation } from '@apollo/client/react';
import { useRef, useState, type FormEvent } from 'react';
import { ErrorText, errorMessage } from '../components/ErrorText.js';
import {
  CREATE_NOTIFICATION_CHANNEL,
  NOTIFICATION_CHANNELS,
  TEST_NOTIFICATION_CHANNEL,
} from '../graphql/operations.js';
import type { NotificationChannelInput, NotificationKind } from '../graphql/types.js';
import { channelKinds } from './channel-kinds.js';
import { ChannelRulesFields, rulesFrom } from './ChannelRulesFields.js';
import { formText } from '../form-data.js';

type TestResult = { ok: true } | { ok: false; message: string } | null;

/** Create a channel; "Send test" sends with the settings as typed, before anything is saved. */
export function ChannelForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<NotificationKind>('EMAIL');
  const [testResult, setTestResult] = useState<TestResult>(null);
  const [create, creating] = useMutation(CREATE_NOTIFICATION_CHANNEL, {
    refetchQueries: [NOTIFICATION_CHANNELS],
  });
  const [test, testing] = useMutation(TEST_NOTIFICATION_CHANNEL);

  const readInput = (): NotificationChannelInput | null => {
    const form = formRef.current;
    if (!form || !form.reportValidity()) return null;
    const data = new FormData(form);
    const settings: Record<string, string> = {};
    for (const field of channelKinds[kind].fields) {
      const value = formText(data, `setting.${field.name}`).trim();
      if (value) settings[field.name] = value;
    }
    return {
      name: formText(data, 'name').trim(),
      kind,
      enabled: data.get('enabled') === 'on',
      settings,
      rules: rulesFrom(data),
      repositoryIds: [],
    };
  };

  const sendTest = async (): Promise<void> => {
    const input = readInput();
    if (!input) return;
    setTestResult(null);
    try {
      const { data } = await test({ variables: { input } });
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
    const result = await create({ variables: { input } }).catch(() => null);
    if (result?.data) {
      formRef.current?.reset();
      setTestResult(null);
    }
  };

  return (
    <form
      ref={formRef}
      className="card form"
      onSubmit={(event) => void submit(event)}
      aria-labelledby="new-channel-title"
    >
      <h2 id="new-channel-title">New channel</h2>
      <div className="grid-2">
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="On-call" />
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
        {channelKinds[kind].fields.map((field) => (
          <label key={field.name}>
            {field.label}
            {field.type === 'select' ? (
              <select name={`setting.${field.name}`} required={field.required}>
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
                autoComplete="off"
              />
            )}
          </label>
        ))}
      </fieldset>
      <ChannelRulesFields />
      <label className="check">
        <input type="checkbox" name="enabled" defaultChecked /> Enabled
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
      <ErrorText error={creating.error} />
      <div className="actions">
        <button
          type="button"
          className="button-secondary"
          disabled={testing.loading}
          onClick={() => void sendTest()}
        >
          {testing.loading ? 'Testing…' : 'Send test'}
        </button>
        <button type="submit" disabled={creating.loading}>
          {creating.loading ? 'Saving…' : 'Create channel'}
        </button>
      </div>
    </form>
  );
}
