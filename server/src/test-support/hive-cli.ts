import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';

/** The built CLI (server/dist/main.js), run exactly as an operator runs `borg-hive`. */
export const hiveMain = fileURLToPath(new URL('../main.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment that points the CLI at a test hive's database, repo path and extra settings. */
export function cliEnv(config: Config, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BORGHIVE_DATA_DIR: config.dataDir,
    BORGHIVE_DATABASE_URL: config.database.url,
    BORGHIVE_REPO_PATH: config.repoPath,
    BORGHIVE_LOG_LEVEL: 'silent',
    ...extra,
  };
}

/** Runs `borg-hive <args>` in its own process with only PATH and the given environment. */
export function runHiveCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [hiveMain, ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
