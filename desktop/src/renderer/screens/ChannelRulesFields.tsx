import type { FormEvent } from 'react';

/** Which messages a channel carries (server: NotificationChannelInput.rules); new channels start as checked here. */
const EVENTS = [
  { value: 'STALE', label: 'Backup missing (stale)', checked: true },
  { value: 'FAILED', label: 'Repository failed', checked: true },
  { value: 'RECOVERED', label: 'Recovered', checked: true },
  { value: 'DELETIONS', label: 'Archives deleted or key changed', checked: true },
  { value: 'RUN_FAILED', label: 'Every failed run', checked: false },
  { value: 'RUN_SUCCEEDED', label: 'Every successful run', checked: false },
] as const;

/** The rules as the server shows them (NotificationChannel.rules, defaults filled in). */
export interface ChannelRules {
  events: string[];
  repeat: boolean;
  quietHours: { start: string; end: string } | null;
  digestAt: string | null;
  timeZone: string;
}

/** The browser's own time zone: quiet hours and the digest mean the user's clock. */
function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Reads a channel's stored rules defensively (the field is JSON). */
export function storedChannelRules(
  value: Readonly<Record<string, unknown>> | undefined,
): ChannelRules | null {
  if (!value) return null;
  const quiet = value['quietHours'] as { start?: unknown; end?: unknown } | null | undefined;
  return {
    events: Array.isArray(value['events']) ? value['events'].map(String) : [],
    repeat: value['repeat'] !== false,
    quietHours:
      quiet && typeof quiet.start === 'string' && typeof quiet.end === 'string'
        ? { start: quiet.start, end: quiet.end }
        : null,
    digestAt: typeof value['digestAt'] === 'string' ? value['digestAt'] : null,
    timeZone: typeof value['timeZone'] === 'string' ? value['timeZone'] : 'UTC',
  };
}

export function ChannelRulesFields({ rules }: { rules?: ChannelRules | null }) {
  return (
    <>
      <fieldset>
        <legend>Messages</legend>
        {EVENTS.map((e) => (
          <label key={e.value} className="check">
            <input
              type="checkbox"
              name="rules.events"
              value={e.value}
              defaultChecked={rules ? rules.events.includes(e.value) : e.checked}
            />{' '}
            {e.label}
          </label>
        ))}
        <label className="check">
          <input type="checkbox" name="rules.repeat" defaultChecked={rules?.repeat ?? true} /> Repeat a
          missing-backup alert until it is answered (off: one message per incident)
        </label>
      </fieldset>
      <fieldset>
        <legend>When</legend>
        <p className="muted small">
          Quiet hours hold messages until they end; a daily digest sends one message a day listing them.
        </p>
        <div className="grid-2">
          <label>
            Quiet hours from
            <input
              type="time"
              name="rules.quietStart"
              defaultValue={rules?.quietHours?.start ?? ''}
              onInput={clearQuietHoursProblem}
            />
          </label>
          <label>
            Quiet hours until
            <input
              type="time"
              name="rules.quietEnd"
              defaultValue={rules?.quietHours?.end ?? ''}
              onInput={clearQuietHoursProblem}
            />
          </label>
          <label>
            Daily digest at
            <input type="time" name="rules.digestAt" defaultValue={rules?.digestAt ?? ''} />
          </label>
          <label>
            Time zone
            <input
              name="rules.timeZone"
              defaultValue={rules?.timeZone ?? localZone()}
              placeholder="Europe/Berlin"
              autoComplete="off"
            />
          </label>
        </div>
      </fieldset>
    </>
  );
}

/** A change to either end clears "give both ends" (the form checks again when it is sent). */
function clearQuietHoursProblem(event: FormEvent<HTMLInputElement>): void {
  const form = event.currentTarget.form;
  for (const name of ['rules.quietStart', 'rules.quietEnd']) {
    const input = form?.elements.namedItem(name);
    if (input instanceof HTMLInputElement) input.setCustomValidity('');
  }
}

/** The rules as the form holds them: quiet hours need both ends, an empty digest time means none. */
export function rulesFrom(data: FormData): ChannelRules {
  const text = (name: string) => {
    const value = data.get(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  const start = text('rules.quietStart');
  const end = text('rules.quietEnd');
  return {
    events: data.getAll('rules.events').filter((v): v is string => typeof v === 'string'),
    repeat: data.get('rules.repeat') === 'on',
    quietHours: start && end ? { start, end } : null,
    digestAt: text('rules.digestAt') || null,
    timeZone: text('rules.timeZone') || 'UTC',
  };
}
