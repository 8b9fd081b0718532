import { spawn } from 'node:child_process';

/** One program to run: never through a shell, arguments as an array. */
export interface ProcessSpec {
  program: string;
  args: readonly string[];
  /** The child's whole environment (nothing is inherited: the runner adds only its base PATH). */
  env?: Record<string, string>;
  cwd?: string;
  /** Run as this user and group (the caller must be root to change them; both or neither). */
  uid?: number;
  gid?: number;
  /** Written to stdin; stdin is then closed unless `keepStdinOpen` (closeStdin() closes it later). */
  stdin?: string;
  keepStdinOpen?: boolean;
  /** Killed (whole process group: SIGTERM, then SIGKILL after `killGraceMs`) after this long. */
  timeoutMs?: number;
  killGraceMs?: number;
  /** Bytes kept of each of stdout and stderr (the tail; `truncated` says so). */
  maxOutputBytes?: number;
  /** Aborting kills the process group like a timeout does. */
  signal?: AbortSignal;
  /** Called per line of stderr as it arrives (\r or \n ends a line). */
  onStderrLine?: (line: string) => void;
}

export interface ProcessResult {
  /** Exit code; null when a signal ended it or it never started. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  truncated: boolean;
  /** Set when the program could not be started (ENOENT...). */
  spawnError: string | null;
}

export interface RunningProcess {
  readonly pid: number | undefined;
  readonly result: Promise<ProcessResult>;
  closeStdin(): void;
  /** Signals the whole process group. */
  kill(signal?: NodeJS.Signals): void;
}

/** The one place the hive starts programs (ssh, borg, ssh-agent, ssh-keygen, socat). */
export interface ProcessRunner {
  start(spec: ProcessSpec): RunningProcess;
  run(spec: ProcessSpec): Promise<ProcessResult>;
}

const DEFAULT_MAX_OUTPUT = 256 * 1024;

/** Keeps the last `max` bytes of a stream. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.max && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const over = this.size - this.max;
      this.truncated = true;
      if (first.length <= over) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(over);
        this.size -= over;
      }
    }
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Splits a stream into lines at \n or \r (borg's progress uses both), bounded per line. */
export class LineSplitter {
  private rest = '';
  constructor(
    private readonly emit: (line: string) => void,
    private readonly maxLine = 64 * 1024,
  ) {}
  push(text: string): void {
    const parts = (this.rest + text).split(/\r\n|\r|\n/);
    this.rest = parts.pop() ?? '';
    if (this.rest.length > this.maxLine) this.rest = this.rest.slice(-this.maxLine);
    for (const line of parts) if (line.length > 0) this.emit(line.slice(0, this.maxLine));
  }
  end(): void {
    if (this.rest.length > 0) this.emit(this.rest);
    this.rest = '';
  }
}

/**
 * Spawns each program in its own process group (detached), so a timeout or cancel reaches everything it
 * started (ssh's ProxyCommand, ssh-agent children) and nothing lingers after the hive gave up on it.
 */
export class SystemProcessRunner implements ProcessRunner {
  constructor(private readonly basePath: string) {}

  run(spec: ProcessSpec): Promise<ProcessResult> {
    return this.start(spec).result;
  }

  start(spec: ProcessSpec): RunningProcess {
    const child = spawn(spec.program, [...spec.args], {
      cwd: spec.cwd,
      ...(spec.uid === undefined ? {} : { uid: spec.uid }),
      ...(spec.gid === undefined ? {} : { gid: spec.gid }),
      env: { PATH: this.basePath, ...spec.env },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const max = spec.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    const out = new Tail(max);
    const err = new Tail(max);
    const lines = spec.onStderrLine ? new LineSplitter(spec.onStderrLine) : null;
    let timedOut = false;
    let cancelled = false;
    let spawnError: string | null = null;
    let killTimer: NodeJS.Timeout | null = null;
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const terminate = () => {
      killGroup('SIGTERM');
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), spec.killGraceMs ?? 5_000);
      killTimer.unref();
    };
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      lines?.push(chunk.toString('utf8'));
    });
    child.stdin.on('error', () => undefined); // a child that exits early closes its stdin
    if (spec.stdin !== undefined) child.stdin.write(spec.stdin);
    if (!spec.keepStdinOpen) child.stdin.end();
    const timer = spec.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          terminate();
        }, spec.timeoutMs)
      : null;
    const onAbort = () => {
      cancelled = true;
      terminate();
    };
    if (spec.signal?.aborted) onAbort();
    else spec.signal?.addEventListener('abort', onAbort, { once: true });
    const result = new Promise<ProcessResult>((resolve) => {
      const finish = (code: number | null, signal: string | null) => {
        if (timer) clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        spec.signal?.removeEventListener('abort', onAbort);
        lines?.end();
        resolve({
          code,
          signal,
          stdout: out.text(),
          stderr: err.text(),
          timedOut,
          cancelled,
          truncated: out.truncated || err.truncated,
          spawnError,
        });
      };
      child.once('error', (e) => {
        spawnError = e.message;
        if (child.pid === undefined) finish(null, null);
      });
      child.once('close', (code, signal) => finish(code, signal));
    });
    return {
      pid: child.pid,
      result,
      closeStdin: () => child.stdin.end(),
      kill: (signal = 'SIGTERM') => killGroup(signal),
    };
  }
}
