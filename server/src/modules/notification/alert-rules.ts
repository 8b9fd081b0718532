import { ChannelSettingsError, type FieldError } from './channels/channel-driver.js';

/**
 * What a channel carries. STALE: the stale-backup alert (and its repeats, see `repeat`); FAILED: a
 * repository turned FAILED (its first failed report after a success); RECOVERED: a backup after an
 * alert or a failure; RUN_FAILED / RUN_SUCCEEDED: every reported run (ping /fail or exit status, ping
 * success); DELETIONS: signs of a client destroying its history (borg 2: many archives deleted within
 * the configured window, a key object added or removed).
 */
export const ALERT_EVENTS = [
  'STALE',
  'FAILED',
  'RECOVERED',
  'DELETIONS',
  'RUN_FAILED',
  'RUN_SUCCEEDED',
] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export interface QuietHours {
  /** HH:MM local time the quiet starts; messages wait until `end` */
  start: string;
  end: string;
}

export interface AlertRules {
  events: AlertEvent[];
  /** false: one message per incident (the first alert); true: the repeats of the alert schedule too */
  repeat: boolean;
  quietHours: QuietHours | null;
  /** HH:MM local time: the channel gets one message a day listing everything since the last one */
  digestAt: string | null;
  /** IANA time zone of quietHours and digestAt */
  timeZone: string;
}

/** Problems (deletions are one) and recoveries; the repeats of the original's schedule; no quiet hours, no digest. */
export const DEFAULT_RULES: Readonly<AlertRules> = Object.freeze<AlertRules>({
  events: ['STALE', 'FAILED', 'RECOVERED', 'DELETIONS'],
  repeat: true,
  quietHours: null,
  digestAt: null,
  timeZone: 'UTC',
});

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const FIELDS = ['events', 'repeat', 'quietHours', 'digestAt', 'timeZone'];

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return zone.length <= 64;
  } catch {
    return false;
  }
}

/** Stored or submitted rules, every problem listed (fields named `rules.<field>`); null/absent: defaults. */
export function validateRules(raw: unknown): AlertRules {
  if (raw === null || raw === undefined) return { ...DEFAULT_RULES, events: [...DEFAULT_RULES.events] };
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field: `rules.${field}`, message });
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ChannelSettingsError([{ field: 'rules', message: 'must be a JSON object' }]);
  }
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r))
    if (!FIELDS.includes(key)) fail(key, `unknown field (allowed: ${FIELDS.join(', ')})`);
  let events = [...DEFAULT_RULES.events];
  if (r.events !== undefined) {
    const list = Array.isArray(r.events) ? (r.events as unknown[]) : null;
    const bad = list?.filter((e) => !ALERT_EVENTS.includes(e as AlertEvent)) ?? [];
    if (list === null || list.length === 0 || bad.length > 0)
      fail('events', `must be a non-empty list of ${ALERT_EVENTS.join(', ')}`);
    else events = [...new Set(list as AlertEvent[])];
  }
  if (r.repeat !== undefined && typeof r.repeat !== 'boolean') fail('repeat', 'must be true or false');
  let quietHours: QuietHours | null = null;
  if (r.quietHours !== undefined && r.quietHours !== null) {
    const q = r.quietHours as Record<string, unknown>;
    const ok =
      typeof q === 'object' &&
      !Array.isArray(q) &&
      Object.keys(q).every((k) => k === 'start' || k === 'end') &&
      typeof q.start === 'string' &&
      typeof q.end === 'string' &&
      HH_MM.test(q.start) &&
      HH_MM.test(q.end) &&
      q.start !== q.end;
    if (ok) quietHours = { start: q.start as string, end: q.end as string };
    else fail('quietHours', 'must be { start: "HH:MM", end: "HH:MM" } with start and end different');
  }
  let digestAt: string | null = null;
  if (r.digestAt !== undefined && r.digestAt !== null) {
    if (typeof r.digestAt === 'string' && HH_MM.test(r.digestAt)) digestAt = r.digestAt;
    else fail('digestAt', 'must be a time of day "HH:MM"');
  }
  let timeZone = DEFAULT_RULES.timeZone;
  if (r.timeZone !== undefined) {
    if (typeof r.timeZone === 'string' && validTimeZone(r.timeZone)) timeZone = r.timeZone;
    else fail('timeZone', 'must be an IANA time zone such as Europe/Berlin');
  }
  if (errors.length > 0) throw new ChannelSettingsError(errors);
  return { events, repeat: r.repeat !== false, quietHours, digestAt, timeZone };
}

/** Whether a channel with these rules carries `event` (`repeat`: a repeat of an alert already sent). */
export function carries(rules: AlertRules, event: AlertEvent, repeat = false): boolean {
  return rules.events.includes(event) && (!repeat || rules.repeat);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight in `timeZone` at `at` (seconds dropped). */
export function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return part('hour') * 60 + part('minute');
}

/** The next instant at or after `from` whose local time is `hhmm` (minute precision). */
export function nextLocal(from: Date, hhmm: string, timeZone: string): Date {
  const wait = (minutesOf(hhmm) - localMinutes(from, timeZone) + 1440) % 1440;
  const start = new Date(from.getTime() - (from.getTime() % 60_000));
  const at = new Date(start.getTime() + wait * 60_000);
  // a DST change between now and then moves the local clock by up to an hour: correct once
  const drift = (minutesOf(hhmm) - localMinutes(at, timeZone) + 1440) % 1440;
  return drift === 0 ? at : new Date(at.getTime() + (drift > 720 ? drift - 1440 : drift) * 60_000);
}

/** Whether `at` falls in the quiet hours (start inclusive, end exclusive; may span midnight). */
export function inQuietHours(rules: AlertRules, at: Date): boolean {
  if (!rules.quietHours) return false;
  const now = localMinutes(at, rules.timeZone);
  const start = minutesOf(rules.quietHours.start);
  const end = minutesOf(rules.quietHours.end);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/**
 * When a message created at `now` may first be sent: the next digest time for a digest channel, the
 * end of the quiet hours while they last, else now.
 */
export function releaseAt(rules: AlertRules, now: Date): Date {
  if (rules.digestAt !== null) return nextLocal(now, rules.digestAt, rules.timeZone);
  if (rules.quietHours && inQuietHours(rules, now))
    return nextLocal(now, rules.quietHours.end, rules.timeZone);
  return now;
}
