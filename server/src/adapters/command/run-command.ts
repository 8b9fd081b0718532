import { execFile } from 'node:child_process';

export interface CommandResult {
  /** the exit status; null when the command was killed (timeout) */
  code: number | null;
  /** the end of what it wrote to stderr and stdout (at most OUTPUT_LIMIT bytes each) */
  stderr: string;
  stdout: string;
  timedOut: boolean;
}

/** Runs a program with an argument array: never through a shell, so no argument is ever parsed as one. */
export interface CommandRunner {
  run(file: string, args: readonly string[], timeoutMs: number): Promise<CommandResult>;
}

const OUTPUT_LIMIT = 64 * 1024;

/**
 * The real runner: execFile (no shell), killed with SIGKILL at the timeout, output capped, stdin closed,
 * an environment of PATH, HOME and LANG only (the hive's own variables, its database URL and secret
 * file paths, are not the child's business).
 */
export const systemCommandRunner: CommandRunner = {
  run(file, args, timeoutMs) {
    return new Promise((resolve, reject) => {
      const child = execFile(
        file,
        [...args],
        {
          shell: false,
          timeout: timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: OUTPUT_LIMIT,
          windowsHide: true,
          env: {
            PATH: '/usr/local/bin:/usr/bin:/bin',
            HOME: '/nonexistent',
            LANG: 'C.UTF-8',
          },
        },
        (error, stdout, stderr) => {
          const failure = error as (NodeJS.ErrnoException & { killed?: boolean; code?: unknown }) | null;
          if (failure && typeof failure.code === 'string') {
            // ENOENT, EACCES, ERR_CHILD_PROCESS_STDIO_MAXBUFFER: the program did not run (to the end)
            if (failure.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(failure);
          }
          resolve({
            code: child.exitCode,
            stdout: String(stdout).slice(-OUTPUT_LIMIT),
            stderr: String(stderr).slice(-OUTPUT_LIMIT),
            timedOut: failure?.killed === true && child.exitCode === null,
          });
        },
      );
      child.stdin?.end();
    });
  },
};
