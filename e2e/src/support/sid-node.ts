import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run, type RunOptions, type RunResult } from './run.js';

/** The Debian sid root scripts/borg2-root.sh builds (borgbackup2, borg 1.4, OpenSSH 10). */
export const SID_ROOT = process.env.BORGHIVE_SID_ROOT ?? '/var/cache/borg-hive/sid-root';

/**
 * A storage node made of the sid root: an overlay over the cached root (the cache is never written), in
 * a private mount namespace held by one process, with the host's /tmp (test dirs, repositories), /dev,
 * /proc and the given host paths (the keys client, the Node binary) bind-mounted at the same paths.
 * Programs run chrooted in it share the host's network: sshd there reaches the hive on loopback, and the
 * hive watches the repositories from outside under /tmp.
 */
export interface SidNode {
  /** Prefix that runs a program chrooted in the node, e.g. startSshd({ launcher }). */
  launcher: readonly string[];
  /** Runs a program chrooted in the node, as run() does here (options.cwd is a path in the node). */
  run(program: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  stop(): Promise<void>;
}

/** Why the sid node cannot be made here, or undefined. */
export async function sidNodeUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root (mount namespace, overlay, chroot)';
  if (!existsSync(join(SID_ROOT, 'usr/bin/borg2')))
    return `no sid root at ${SID_ROOT}: run scripts/borg2-root.sh (npm test does)`;
  const probe = await run('unshare', ['--mount', '--propagation', 'private', 'true']);
  if (probe.code !== 0) return `unshare --mount is unavailable here: ${probe.stderr.trim()}`;
  return undefined;
}

const SETUP = `set -e
root=$1 dir=$2
shift 2
m=$dir/merged
mount -t overlay borghive-sid -o "lowerdir=$root,upperdir=$dir/upper,workdir=$dir/work" "$m"
mount --rbind /tmp "$m/tmp"
mount --rbind /dev "$m/dev"
mount -t proc proc "$m/proc"
mkdir -p "$m/run/sshd"
for p in "$@"; do
  if [ -d "$p" ]; then mkdir -p "$m$p"; else mkdir -p "$(dirname "$m$p")"; touch "$m$p"; fi
  mount --bind "$p" "$m$p"
done
echo ready
exec sleep infinity`;

/** dir: a fresh directory of the test (the overlay's upper layer lives there). */
export async function startSidNode(options: { dir: string; binds: readonly string[] }): Promise<SidNode> {
  const { dir } = options;
  for (const sub of ['upper', 'work', 'merged']) await mkdir(join(dir, sub), { recursive: true });
  const holder = spawn(
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', SETUP, 'sh', SID_ROOT, dir, ...options.binds],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await ready(holder);
  const pid = holder.pid;
  if (pid === undefined) throw new Error('the sid node did not start');
  const launcher = ['nsenter', `--mount=/proc/${pid}/ns/mnt`, '--', 'chroot', join(dir, 'merged')];
  const [program, ...prefix] = launcher as [string, ...string[]];
  return {
    launcher,
    // chroot starts in /: a cwd is entered inside the node (the host's /tmp is the node's /tmp)
    run: (command, args, { cwd, ...runOptions } = {}) =>
      run(
        program,
        [...prefix, ...(cwd === undefined ? [] : ['env', '-C', cwd]), command, ...args],
        runOptions,
      ),
    stop: async () => {
      if (holder.exitCode !== null || holder.signalCode !== null) return;
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGTERM');
      await exited;
    },
  };
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('ready')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`the sid node's namespace exited (${code}): ${err.trim()}`)),
    );
    child.once('error', reject);
  });
}
