import { keysClientSource, node24Path } from './paths.js';
import { run, type RunResult } from './run.js';

export interface KeysClientRun {
  args: readonly string[];
  /** The client's whole environment (sshd also starts it with an almost empty one). */
  env?: NodeJS.ProcessEnv;
  /** Node binary to run it with; the project's Node 24 by default. */
  node?: string;
}

/** Runs keys/borg-hive-keys.cjs as sshd would, with only the given environment. */
export function runKeysClient({ args, env = {}, node = node24Path() }: KeysClientRun): Promise<RunResult> {
  return run(node, [keysClientSource, ...args], { env });
}

/** The exact query the client sends (contract §4). */
export const authorizedKeysQuery =
  'query AuthorizedKeys($user: String!, $fingerprint: String) ' +
  '{ authorizedKeys(user: $user, fingerprint: $fingerprint) }';
