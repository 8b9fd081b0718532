/** What a backup client needs for one repository, derived from its URL and mode (no secrets involved). */
export interface SetupInput {
  readonly name: string;
  readonly url: string;
  readonly mode: 'BORG' | 'IMPORT' | 'EXPORT';
  readonly pingUrl: string;
}

export interface SetupLine {
  readonly label: string;
  readonly value: string;
  readonly testId?: string;
}

/** ssh://user@host:port/./name → its parts (null for a URL of another shape). */
export function sshParts(url: string): { user: string; host: string; port: string } | null {
  const match = /^ssh:\/\/([^@]+)@(\[[^\]]+\]|[^:/]+)(?::(\d+))?\//.exec(url);
  if (!match) return null;
  return { user: match[1]!, host: match[2]!, port: match[3] ?? '22' };
}

/** Keep-alives so a long `borg create` over a quiet link is not cut by a NAT or firewall. */
export const BORG_RSH_ADVICE = 'export BORG_RSH="ssh -o ServerAliveInterval=30 -o ServerAliveCountMax=6"';

/**
 * Copyable lines: borg repositories get `borg init`, borgmatic and Vorta; IMPORT and EXPORT are rsync
 * targets (their keys run rrsync, so `borg init` would be refused there).
 */
export function setupLines(repository: SetupInput): SetupLine[] {
  const lines: SetupLine[] = [{ label: 'Repository URL', value: repository.url, testId: 'repository-url' }];
  const ssh = sshParts(repository.url);
  if (repository.mode === 'BORG') {
    lines.push(
      {
        label: 'Initialise',
        value: `borg init --encryption=repokey-blake2 ${repository.url}`,
        testId: 'borg-init',
      },
      { label: 'Vorta repository URL', value: repository.url },
      { label: 'SSH keep-alive (BORG_RSH)', value: BORG_RSH_ADVICE },
      { label: 'Ping URL (borgmatic healthchecks)', value: repository.pingUrl },
    );
    return lines;
  }
  if (ssh) {
    const remote = `${ssh.user}@${ssh.host}:`;
    const rsh = `ssh -p ${ssh.port} -o ServerAliveInterval=30`;
    lines.push(
      repository.mode === 'IMPORT'
        ? { label: 'Upload (rsync)', value: `rsync -av -e '${rsh}' ./ ${remote}`, testId: 'rsync-command' }
        : { label: 'Download (rsync)', value: `rsync -av -e '${rsh}' ${remote} ./`, testId: 'rsync-command' },
    );
  }
  lines.push({ label: 'Ping URL', value: repository.pingUrl });
  return lines;
}

/**
 * borgmatic configuration reporting to the hive through its `healthchecks:` hook. Sectioned, as
 * borgmatic 1.7 (Debian 12) requires; 1.8 still reads it.
 */
export function borgmaticSnippet(repository: SetupInput): string {
  return [
    'location:',
    '    source_directories:',
    '        - /home',
    '        - /etc',
    '    repositories:',
    `        - ${repository.url}`,
    'storage:',
    '    encryption_passphrase: "change me"',
    '    ssh_command: ssh -o ServerAliveInterval=30 -o ServerAliveCountMax=6',
    'retention:',
    '    keep_daily: 7',
    '    keep_weekly: 4',
    '    keep_monthly: 6',
    'hooks:',
    '    healthchecks:',
    `        ping_url: ${repository.pingUrl}`,
    '        send_logs: true',
    '',
  ].join('\n');
}
