import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository (worktree) root, found from this compiled file: e2e/dist/support/paths.js. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The AuthorizedKeysCommand client as committed. */
export const keysClientSource = `${repoRoot}keys/borg-hive-keys.cjs`;

/** The project's storage-node sshd configuration. */
export const sshdConfigSource = `${repoRoot}sshd/sshd_config`;

/** Absolute path of the project's Node 24 binary (the npm `node` package, else the running node). */
export function node24Path(): string {
  const bundled = `${repoRoot}node_modules/node/bin/node`;
  return realpathSync(existsSync(bundled) ? bundled : process.execPath);
}

/** The built web console (desktop renderer) the server serves at /. */
export const rendererIndex = `${repoRoot}desktop/dist/renderer/index.html`;
