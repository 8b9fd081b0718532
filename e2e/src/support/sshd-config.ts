export interface SshdTestSettings {
  port: number;
  hostKey: string;
  pidFile: string;
  /** Replaces the program of the AuthorizedKeysCommand line; its arguments (%u, %f) are kept. */
  keysCommand?: string;
  keysCommandUser?: string;
  /** Instead of the command: a plain AuthorizedKeysFile (e.g. /dir/%u), for comparisons. */
  authorizedKeysFile?: string;
}

const REPLACED = /^\s*(Port|ListenAddress|HostKey|PidFile|AuthorizedKeysCommandUser|Include)\s/i;

/** Turns the project's sshd_config into one for a throwaway instance on 127.0.0.1. */
export function rewriteSshdConfig(source: string, settings: SshdTestSettings): string {
  const { authorizedKeysFile, keysCommand, keysCommandUser } = settings;
  if (authorizedKeysFile === undefined && (keysCommand === undefined || keysCommandUser === undefined)) {
    throw new Error('rewriteSshdConfig: give keysCommand and keysCommandUser, or authorizedKeysFile');
  }
  let commands = 0;
  const body = source.split('\n').flatMap((line) => {
    if (REPLACED.test(line)) return [];
    if (authorizedKeysFile !== undefined && /^\s*AuthorizedKeysFile\s/i.test(line)) {
      return [`AuthorizedKeysFile ${authorizedKeysFile}`];
    }
    const command = /^\s*AuthorizedKeysCommand\s+(\S+)(.*)$/i.exec(line);
    if (!command) return [line];
    commands++;
    return authorizedKeysFile === undefined ? [`AuthorizedKeysCommand ${keysCommand}${command[2]}`] : [];
  });
  if (commands !== 1) throw new Error(`expected one AuthorizedKeysCommand line, found ${commands}`);
  const head = [
    `# rewritten for a test from the project's sshd_config`,
    `Port ${settings.port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${settings.hostKey}`,
    `PidFile ${settings.pidFile}`,
    ...(authorizedKeysFile === undefined ? [`AuthorizedKeysCommandUser ${keysCommandUser}`] : []),
  ];
  return [...head, ...body].join('\n');
}
