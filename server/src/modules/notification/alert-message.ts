import type { AlertMessage } from './channels/channel-driver.js';

export type AlertRepository = NonNullable<AlertMessage['repository']>;

/** Words one alert, recovery or test message the same way for every channel. */
export function messageFor(
  state: AlertMessage['state'],
  repository: AlertRepository | null,
  lastBackupAt: Date | null,
  alertAfterDays: number | null,
  createdAt: Date = new Date(),
  /** DELETIONS, KEY_CHANGED: what was seen (e.g. "5 archives deleted within 60 minutes"). */
  detail = '',
): AlertMessage {
  const name = repository?.name ?? 'a repository';
  const last = `(last: ${lastBackupAt === null ? 'never' : formatUtc(lastBackupAt)})`;
  const where = repository === null ? '' : `\n\nRepository: ${repository.name}\nURL: ${repository.url}`;
  const texts = {
    STALE: {
      title: `Missing backup for ${name}`,
      body:
        lastBackupAt === null
          ? `No backup of ${name} has arrived ${alertAfterDays === null ? 'yet' : `in the ${days(alertAfterDays)} since it was created`} ${last}.`
          : `The last backup of ${name} is ${alertAfterDays === null ? 'overdue' : `older than ${days(alertAfterDays)}`} ${last}.`,
    },
    RECOVERED: {
      title: `Backup received for ${name}`,
      body: `A new backup of ${name} arrived ${last}; it is no longer missing.`,
    },
    FAILED: {
      title: `Backup failed for ${name}`,
      body: `The last reported backup of ${name} failed; nothing succeeded since ${last}.`,
    },
    RUN_FAILED: {
      title: `Backup run failed for ${name}`,
      body: `A backup run of ${name} reported a failure ${last}.`,
    },
    RUN_SUCCEEDED: {
      title: `Backup succeeded for ${name}`,
      body: `A backup run of ${name} reported success ${last}.`,
    },
    DELETIONS: {
      title: `Archives deleted in ${name}`,
      body: `${detail}. A client may be destroying its own history (the ransomware case): check who deleted them ${last}.`,
    },
    KEY_CHANGED: {
      title: `Key changed in ${name}`,
      body: `${detail}. Unless someone meant to change the repository's key or passphrase, treat it as tampering ${last}.`,
    },
    DIGEST: {
      title: 'Borg Hive digest',
      body: 'Nothing to report.',
    },
    TEST: {
      title: 'Borg Hive test notification',
      body: 'This is a test message from Borg Hive. If you can read it, this notification channel works.',
    },
  }[state];
  return { state, title: texts.title, body: texts.body + where, repository, lastBackupAt, createdAt };
}

/** `2024-05-01 12:00 UTC` */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function days(count: number): string {
  return count === 1 ? '1 day' : `${count} days`;
}

/** One message listing several (a channel's daily digest), oldest first. */
export function digestMessage(messages: readonly AlertMessage[], createdAt: Date): AlertMessage {
  const lines = messages.map((m) => `- ${formatUtc(m.createdAt)}: ${m.title}`);
  return {
    state: 'DIGEST',
    title: `Borg Hive digest: ${messages.length} ${messages.length === 1 ? 'message' : 'messages'}`,
    body: lines.join('\n'),
    repository: null,
    lastBackupAt: null,
    createdAt,
  };
}
