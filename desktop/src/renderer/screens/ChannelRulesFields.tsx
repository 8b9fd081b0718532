/** The alert rules a new channel starts with (server: NotificationChannelInput.rules); more through the API. */
const EVENTS = [
  { value: 'STALE', label: 'Backup missing (stale)', checked: true },
  { value: 'FAILED', label: 'Repository failed', checked: true },
  { value: 'RECOVERED', label: 'Recovered', checked: true },
  { value: 'DELETIONS', label: 'Archives deleted or key changed', checked: true },
  { value: 'RUN_FAILED', label: 'Every failed run', checked: false },
  { value: 'RUN_SUCCEEDED', label: 'Every successful run', checked: false },
] as const;

export function ChannelRulesFields() {
  return (
    <fieldset>
      <legend>Messages</legend>
      {EVENTS.map((e) => (
        <label key={e.value} className="check">
          <input type="checkbox" name="rules.events" value={e.value} defaultChecked={e.checked} /> {e.label}
        </label>
      ))}
      <label className="check">
        <input type="checkbox" name="rules.repeat" defaultChecked /> Repeat a missing-backup alert until it is
        answered (off: one message per incident)
      </label>
    </fieldset>
  );
}

/** The rules as the form holds them. */
export function rulesFrom(data: FormData): { events: string[]; repeat: boolean } {
  return {
    events: data.getAll('rules.events').filter((v): v is string => typeof v === 'string'),
    repeat: data.get('rules.repeat') === 'on',
  };
}
