import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { run } from './run.js';

/**
 * A private mount namespace where /etc/nsswitch.conf, /etc/nslcd.conf and /etc/pam.d/sshd are the
 * project's storage-node files (bind-mounted, so the machine's own stay untouched) and nslcd runs on a
 * private /run/nslcd. Programs started through `launcher` resolve users from the directory.
 */
export interface NssNamespace {
  /** nslcd's pid: the namespace lives as long as it does. */
  pid: number;
  /** Prefix that runs a program inside the namespace (nsenter). */
  launcher: readonly string[];
  /** Runs a program inside the namespace. */
  run(program: string, args: readonly string[]): ReturnType<typeof run>;
  /** What nslcd printed (it runs with -d), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

const SETUP = `set -e
mkdir -p /run/nslcd
mount -t tmpfs -o mode=0755 borghive-nslcd /run/nslcd
chown nslcd:nslcd /run/nslcd
if [ -d /run/nscd ]; then mount -t tmpfs -o mode=0755 borghive-nscd /run/nscd; fi
mount --bind "$1" /etc/nslcd.conf
mount --bind "$2" /etc/nsswitch.conf
mount --bind "$3" /etc/pam.d/sshd
exec /usr/sbin/nslcd -d`;

/** Why the namespace cannot be made here (not root, no unshare, no mount privilege), or undefined. */
export async function nssNamespaceUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root (mount namespace, nslcd, sshd)';
  const probe = await run('unshare', ['--mount', '--propagation', 'private', 'true']).catch(
    (error: unknown) => ({ code: -1, stderr: String(error) }),
  );
  if (probe.code !== 0) return `unshare --mount is unavailable here: ${probe.stderr.trim()}`;
  return undefined;
}

/** Writes the project's files (uri and skeleton adapted) into dir and starts nslcd in a new namespace. */
export async function startNssNamespace(options: { ldapUrl: string; dir: string }): Promise<NssNamespace> {
  const { dir } = options;
  const nslcdConf = join(dir, 'nslcd.conf');
  const nsswitch = join(dir, 'nsswitch.conf');
  const pamSshd = join(dir, 'pam-sshd');
  const skel = join(dir, 'skel');
  await mkdir(skel, { mode: 0o755 });
  const conf = await readFile(join(repoRoot, 'sshd/nslcd.conf'), 'utf8');
  if (!/^uri .*$/m.test(conf)) throw new Error('sshd/nslcd.conf has no uri line');
  await writeFile(nslcdConf, conf.replace(/^uri .*$/m, `uri ${options.ldapUrl}/`), { mode: 0o600 });
  await writeFile(nsswitch, await readFile(join(repoRoot, 'sshd/nsswitch.conf')));
  const pam = await readFile(join(repoRoot, 'sshd/pam.d/sshd'), 'utf8');
  if (!pam.includes('skel=/etc/borg-hive/skel'))
    throw new Error('sshd/pam.d/sshd: expected skel=/etc/borg-hive/skel');
  await writeFile(pamSshd, pam.replaceAll('skel=/etc/borg-hive/skel', `skel=${skel}`));

  const child = spawn(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      '/bin/sh',
      '-c',
      SETUP,
      'setup',
      nslcdConf,
      nsswitch,
      pamSshd,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  const pid = child.pid;
  if (pid === undefined) throw new Error('unshare did not start');
  const socket = `/proc/${pid}/root/run/nslcd/socket`;
  for (let tries = 0; tries < 400 && !existsSync(socket); tries++) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!existsSync(socket)) {
    await stop(child);
    throw new Error(`nslcd did not come up in the namespace:\n${output}`);
  }
  const launcher = ['nsenter', `--mount=/proc/${pid}/ns/mnt`, '--'] as const;
  return {
    pid,
    launcher,
    run: (program, args) => run(launcher[0], [...launcher.slice(1), program, ...args]),
    log: () => output,
    stop: () => stop(child),
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
