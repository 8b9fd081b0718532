import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AccountsUnavailableError } from './accounts.backend.js';

const run = promisify(execFile);

/** shadow-utils exit codes that mean "this machine cannot change accounts now" (locks, permissions). */
const UNAVAILABLE_EXIT_CODES = new Set([1, 10]);

/** A failed account tool, with its exit code (6 from userdel/usermod: no such user). */
export class AccountToolError extends Error {
  override readonly name = 'AccountToolError';

  constructor(
    message: string,
    readonly exitCode: number,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** Runs useradd/usermod/userdel directly (never through a shell) with a bounded time. */
export async function runAccountTool(tool: string, args: string[]): Promise<void> {
  try {
    await run(tool, args, { timeout: 30_000 });
  } catch (error) {
    const failure = error as Error & { stderr?: string; code?: number | string | null };
    const detail = (failure.stderr ?? '').trim() || failure.message;
    // string code: spawning failed (ENOENT, EACCES); null: killed by the timeout
    if (typeof failure.code !== 'number' || UNAVAILABLE_EXIT_CODES.has(failure.code)) {
      throw new AccountsUnavailableError(`local accounts cannot be changed (${tool}): ${detail}`, {
        cause: error,
      });
    }
    throw new AccountToolError(
      `${tool} ${args.join(' ')} failed (exit ${failure.code}): ${detail}`,
      failure.code,
      {
        cause: error,
      },
    );
  }
}
