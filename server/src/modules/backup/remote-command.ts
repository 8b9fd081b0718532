/**
 * What the hive asks the client's shell to run. The hive's key on the client has no forced command (a
 * client-side one is documented in docs/backup-jobs.md), so the command is one `sh -c` with every value
 * single-quoted. Secrets never appear in it: the passphrase and the storage node's known_hosts arrive on
 * stdin, then stdin stays open; when the hive closes it (cancel, or the hive went away) borg gets SIGINT
 * and stops the way it stops on Ctrl-C, leaving the repository and its last checkpoint consistent.
 */
export const REMOTE_SCRIPT = [
  'set -u',
  'IFS= read -r pass || exit 97',
  'kh=$(mktemp) || exit 97',
  'trap \'rm -f "$kh"\' EXIT',
  'while IFS= read -r line; do [ "$line" = . ] && break; printf "%s\\n" "$line" >> "$kh"; done',
  // the client's own settings (e.g. BORG_PASSCOMMAND) when the job sends no passphrase
  'if [ -r "$HOME/.config/borg-hive/env" ]; then . "$HOME/.config/borg-hive/env"; fi',
  'if [ -n "$pass" ]; then BORG_PASSPHRASE=$pass; export BORG_PASSPHRASE; fi',
  'unset pass',
  // the storage node's host keys as the hive knows them are the only ones accepted: no trust on first use
  'BORG_RSH="ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$kh -o GlobalKnownHostsFile=/dev/null"',
  // SOCKET_FORWARDING: borg talks to the socket ssh -R forwarded from the hive (as in borg's pull-mode
  // document); the socket file is removed when the script ends
  'if [ -n "${BH_SOCKET:-}" ]; then',
  '  BORG_RSH="sh -c \'exec socat STDIO UNIX-CONNECT:$BH_SOCKET\'"',
  '  trap \'rm -f "$kh" "$BH_SOCKET"\' EXIT',
  'fi',
  'export BORG_RSH',
  'exec 3<&0',
  'borg "$@" </dev/null &',
  'b=$!',
  '( cat <&3 >/dev/null 2>&1; kill -INT "$b" 2>/dev/null ) >/dev/null 2>&1 &',
  'w=$!',
  'exec 3<&-',
  'wait "$b"; rc=$?',
  'kill "$w" 2>/dev/null',
  'exit "$rc"',
].join('\n');

/** POSIX single quotes: the value reaches the program as one argument, whatever it contains. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The one command string ssh sends: `sh -c '<script>' borg-hive <borg args...>`. */
export function remoteCommand(borgArgs: readonly string[], env: Record<string, string> = {}): string {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return [
    ...assignments,
    'sh',
    '-c',
    shellQuote(REMOTE_SCRIPT),
    'borg-hive',
    ...borgArgs.map(shellQuote),
  ].join(' ');
}

/** stdin of the remote script: passphrase line, known_hosts lines, a lone dot. */
export function remoteStdin(passphrase: string | null, knownHosts: string): string {
  if (passphrase !== null && /[\r\n]/.test(passphrase))
    throw new Error('a passphrase cannot contain a line break');
  const lines = knownHosts.split('\n').filter((l) => l.trim() !== '' && l !== '.');
  return `${passphrase ?? ''}\n${lines.map((l) => `${l}\n`).join('')}.\n`;
}

export interface CreateArgs {
  repoUrl: string;
  archiveName: string;
  paths: readonly string[];
  excludes: readonly string[];
  compression: string;
}

export function borgCreateArgs(a: CreateArgs): string[] {
  return [
    'create',
    '--progress',
    '--log-json',
    '--json',
    '--compression',
    a.compression,
    ...a.excludes.flatMap((e) => ['--exclude', e]),
    '--',
    `${a.repoUrl}::${a.archiveName}`,
    ...a.paths,
  ];
}

export interface Retention {
  keepDaily?: number | null;
  keepWeekly?: number | null;
  keepMonthly?: number | null;
  keepYearly?: number | null;
}

/**
 * The archives of one job: its name pattern up to the first time placeholder, then `*` (borg expands
 * `{hostname}` and friends in --glob-archives too). Prune never touches other jobs' archives.
 */
export function archiveGlob(pattern: string): string {
  const at = pattern.search(/\{(now|utcnow)/);
  return `${at < 0 ? pattern : pattern.slice(0, at)}*`;
}

export function borgPruneArgs(repoUrl: string, retention: Retention, glob: string): string[] {
  const keep: [string, number | null | undefined][] = [
    ['--keep-daily', retention.keepDaily],
    ['--keep-weekly', retention.keepWeekly],
    ['--keep-monthly', retention.keepMonthly],
    ['--keep-yearly', retention.keepYearly],
  ];
  return [
    'prune',
    '--log-json',
    '--list',
    ...keep.filter(([, n]) => n != null && n > 0).flatMap(([flag, n]) => [flag, String(n)]),
    '--glob-archives',
    glob,
    '--',
    repoUrl,
  ];
}
