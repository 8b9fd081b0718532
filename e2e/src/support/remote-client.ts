import { join } from 'node:path';
import { run, type RunOptions, type RunResult } from './run.js';
import type { ClientKey } from './ssh-keys.js';

/** The parts of a repository url ssh://<user>@<host>:<port>/./<name> */
export function parseRepoUrl(url: string): { user: string; host: string; port: string; name: string } {
  const match = /^ssh:\/\/([a-z0-9]+)@([0-9.]+):(\d+)\/\.\/(.+)$/.exec(url);
  if (!match) throw new Error(`not a repository url: ${url}`);
  return { user: match[1], host: match[2], port: match[3], name: match[4] };
}

/** ssh options of a backup client that offers exactly one key and never prompts. */
export function sshArgs(key: ClientKey): string[] {
  const options = [
    'StrictHostKeyChecking=no',
    'UserKnownHostsFile=/dev/null',
    'BatchMode=yes',
    'IdentitiesOnly=yes',
  ];
  return ['-F', '/dev/null', '-i', key.privateKeyFile, ...options.flatMap((o) => ['-o', o])];
}

/** Runs a program to its end: run() on this machine, or a sid node's run() in the node. */
export type Runner = (command: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** One borg command of a client machine, with one key. */
export type BorgClient = (key: ClientKey, args: string[], cwd?: string) => Promise<RunResult>;

/**
 * A borg client machine: its own HOME/BORG_BASE_DIR under dir, logging in with one key. `runner`: where
 * its borg runs (this machine's by default).
 */
export function borgClient(dir: string, name: string, runner: Runner = run): BorgClient {
  return (key, args, cwd = dir) =>
    runner('borg', args, {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        BORG_BASE_DIR: join(dir, `borg-${name}`),
        BORG_RSH: ['ssh', ...sshArgs(key)].join(' '),
        BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
        BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
      },
    });
}

/** rsync over ssh with one key, to or from the repository's user at host:port. */
export function rsyncWith(key: ClientKey, url: string, args: string[]): Promise<RunResult> {
  const { port } = parseRepoUrl(url);
  const rsh = ['ssh', ...sshArgs(key), '-p', port].join(' ');
  return run('rsync', ['-e', rsh, ...args], { env: { PATH: process.env.PATH, HOME: '/nonexistent' } });
}

/** `ssh <user>@<host> <command>` with one key (stdin closed). */
export function sshWith(key: ClientKey, url: string, command: string): Promise<RunResult> {
  const { user, host, port } = parseRepoUrl(url);
  return run('ssh', [...sshArgs(key), '-n', '-p', port, `${user}@${host}`, command]);
}
