import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessResult, ProcessRunner, RunningProcess } from '../../adapters/process/process-runner.js';
import { knownHostsLines, parsePublicKey } from '../../security/host-keys.js';
import { remoteCommand, remoteStdin } from './remote-command.js';

export interface ClientTarget {
  host: string;
  port: number;
  user: string;
  /** `<type> <base64>`: the pinned key, the only one ssh accepts. */
  hostKey: string;
  privateKey: string;
}

export interface RemoteRun {
  borgArgs: string[];
  passphrase: string | null;
  /** known_hosts lines the client's borg checks the storage node against. */
  storageKnownHosts: string;
  timeoutMs: number;
  onStderrLine: (line: string) => void;
}

export interface StorageTarget {
  host: string;
  port: number;
  /** the repository's user: borg-hive-keys answers the run key with `borg serve --append-only ...` */
  user: string;
  knownHosts: string;
}

/**
 * One run's private world on the hive: a 0700 temp dir holding the client's key, a known_hosts with
 * only the pinned client key and a private ssh-agent (AGENT_FORWARDING) with the run's key. dispose()
 * kills the agent and removes everything, whatever happened before.
 */
export class PullSession {
  private agent: RunningProcess | null = null;
  private socat: RunningProcess | null = null;
  /** SOCKET_FORWARDING: the socket ssh -R creates on the client, and the one socat listens on here. */
  private forward: { remote: string; local: string } | null = null;
  private current: RunningProcess | null = null;

  /** Told the process group of every program the session starts (recorded on the run). */
  onProcess: (pid: number) => void = () => undefined;

  private constructor(
    private readonly runner: ProcessRunner,
    readonly dir: string,
    private readonly client: ClientTarget,
  ) {}

  private started(process: RunningProcess): RunningProcess {
    if (process.pid !== undefined) this.onProcess(process.pid);
    return process;
  }

  /** `runId` names the session's private directory (`bh-run-<runId>-*`): recover() finds a dead run's. */
  static async open(runner: ProcessRunner, client: ClientTarget, runId: number): Promise<PullSession> {
    const dir = await mkdtemp(join(tmpdir(), runDirPrefix(runId)));
    const session = new PullSession(runner, dir, client);
    try {
      const key = parsePublicKey(client.hostKey);
      if (!key) throw new Error('the pinned host key of the client is unreadable');
      await writeFile(join(dir, 'client_key'), client.privateKey, { mode: 0o600 });
      await writeFile(join(dir, 'known_hosts'), knownHostsLines(client.host, client.port, [key]), {
        mode: 0o600,
      });
      return session;
    } catch (error) {
      await session.dispose();
      throw error;
    }
  }

  private get agentSocket(): string {
    return join(this.dir, 'agent.sock');
  }

  /** Starts the private agent and loads the run's key into it (the key file is removed right after). */
  async startAgent(runPrivateKey: string, lifetimeSeconds: number): Promise<void> {
    this.agent = this.started(
      this.runner.start({ program: 'ssh-agent', args: ['-D', '-a', this.agentSocket] }),
    );
    for (let i = 0; i < 200; i++) {
      if (
        await access(this.agentSocket).then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const keyFile = join(this.dir, 'run_key');
    await writeFile(keyFile, runPrivateKey, { mode: 0o600 });
    try {
      // ssh-agent binds its socket (the file appears) a moment before it listens: a refused connect is retried
      for (let attempt = 1; ; attempt++) {
        const added = await this.runner.run({
          program: 'ssh-add',
          args: ['-q', '-t', String(lifetimeSeconds), keyFile],
          env: { SSH_AUTH_SOCK: this.agentSocket },
          timeoutMs: 10_000,
        });
        if (added.code === 0) break;
        if (attempt < 40 && /connecting to agent/i.test(added.stderr)) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        throw new Error(`ssh-add failed: ${added.spawnError ?? added.stderr.trim()}`);
      }
    } finally {
      await rm(keyFile, { force: true });
    }
  }

  /**
   * SOCKET_FORWARDING, the hive's side: socat listens on a private socket and, per connection, runs ssh
   * to the storage node with the run's key, where sshd's forced command (from borg-hive-keys) is
   * `borg serve --append-only --restrict-to-repository <path>`. The storage node is checked against its
   * known host keys. runRemote then forwards that socket to the client with ssh -R.
   */
  async startStorageForward(runPrivateKey: string, storage: StorageTarget): Promise<void> {
    const keyFile = join(this.dir, 'run_key');
    await writeFile(keyFile, runPrivateKey, { mode: 0o600 });
    await writeFile(join(this.dir, 'storage_known_hosts'), storage.knownHosts, { mode: 0o600 });
    const local = join(this.dir, 'storage.sock');
    const ssh = [
      'ssh',
      '-F',
      '/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${join(this.dir, 'storage_known_hosts')}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'IdentityAgent=none',
      '-i',
      keyFile,
      '-p',
      String(storage.port),
      '-l',
      storage.user,
      storage.host,
      'borg',
      'serve',
    ];
    // socat splits EXEC's command at spaces; every part here is a plain word (the temp dir has none)
    this.socat = this.started(
      this.runner.start({
        program: 'socat',
        args: [`UNIX-LISTEN:${local},fork,umask=077`, `EXEC:${ssh.join(' ')}`],
        env: { HOME: this.dir },
      }),
    );
    for (let i = 0; i < 200; i++) {
      if (
        await access(local).then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    this.forward = { local, remote: `/tmp/borg-hive-${randomBytes(12).toString('hex')}.sock` };
  }

  /** Runs borg on the client over ssh (-A when the agent runs); resolves when ssh exits. */
  runRemote(run: RemoteRun, extraSshArgs: string[] = []): Promise<ProcessResult> {
    const args = [
      '-F',
      '/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${join(this.dir, 'known_hosts')}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'ConnectTimeout=10',
      '-o',
      'ServerAliveInterval=15',
      '-o',
      'ServerAliveCountMax=4',
      '-i',
      join(this.dir, 'client_key'),
      ...(this.agent ? ['-A'] : ['-a']),
      ...(this.forward
        ? ['-o', 'ExitOnForwardFailure=yes', '-R', `${this.forward.remote}:${this.forward.local}`]
        : []),
      ...extraSshArgs,
      '-p',
      String(this.client.port),
      '-l',
      this.client.user,
      '--',
      this.client.host,
      remoteCommand(run.borgArgs, this.forward ? { BH_SOCKET: this.forward.remote } : {}),
    ];
    this.current = this.runner.start({
      program: 'ssh',
      args,
      env: { HOME: this.dir, ...(this.agent ? { SSH_AUTH_SOCK: this.agentSocket } : {}) },
      stdin: remoteStdin(run.passphrase, run.storageKnownHosts),
      keepStdinOpen: true,
      timeoutMs: run.timeoutMs,
      onStderrLine: (line) => run.onStderrLine(line),
    });
    this.started(this.current);
    const running = this.current;
    return running.result.finally(() => {
      if (this.current === running) this.current = null;
    });
  }

  /** Asks the remote borg to stop (its stdin closes: SIGINT); kills ssh if it is still there after `graceMs`. */
  cancel(graceMs: number): void {
    const running = this.current;
    if (!running) return;
    running.closeStdin();
    const timer = setTimeout(() => running.kill('SIGTERM'), graceMs);
    timer.unref();
    void running.result.finally(() => clearTimeout(timer));
  }

  async dispose(): Promise<void> {
    this.current?.kill('SIGKILL');
    for (const helper of [this.agent, this.socat]) {
      if (!helper) continue;
      helper.kill('SIGTERM');
      await helper.result;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The prefix of a run's private directory in the temp dir. */
export function runDirPrefix(runId: number): string {
  return `bh-run-${runId}-`;
}

/** Removes what a dead run left in this host's temp dir (its keys, agent and forwarded sockets). */
export async function removeRunDirs(runId: number): Promise<number> {
  const prefix = runDirPrefix(runId);
  const names = (await readdir(tmpdir()).catch(() => [] as string[])).filter((n) => n.startsWith(prefix));
  for (const name of names) await rm(join(tmpdir(), name), { recursive: true, force: true });
  return names.length;
}
