import { randomBytes } from 'node:crypto';
import { chmod, chown, lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { keysClientSource, node24Path } from './paths.js';
import { runOk } from './run.js';

export interface InstalledKeysClient {
  /** The installed executable (root-owned 0755, shebang = absolute Node 24 path). */
  binary: string;
  /** keys.env beside it: root:<keys user's group> 0640. */
  configFile: string;
  /** What to give startSshd as keysCommand: "<binary> --config <configFile>". */
  command: string;
  remove(): Promise<void>;
}

/** A fresh directory for installKeysClient: sshd only runs a command whose every parent is root-owned and
 * not group/other-writable, which rules out /tmp. */
export function keysClientTestDir(): string {
  return `/usr/local/libexec/borg-hive-test/${randomBytes(6).toString('hex')}`;
}

/**
 * Installs keys/borg-hive-keys.cjs into dir (created root-owned 0755, must not lie under the temp dir)
 * with a shebang for the project's Node 24, plus a copy of envFile (KEY=VALUE lines) as dir/keys.env,
 * readable by keysUser's primary group. Needs root.
 */
export async function installKeysClient(
  dir: string,
  envFile: string,
  keysUser = 'nobody',
): Promise<InstalledKeysClient> {
  const target = resolve(dir);
  if (!isAbsolute(dir) || target.startsWith(`${tmpdir()}/`) || target.startsWith('/tmp/')) {
    throw new Error(
      `installKeysClient: ${dir} must be an absolute path outside the temp dir (sshd StrictModes)`,
    );
  }
  await mkdir(target, { recursive: true, mode: 0o755 });
  await chmod(target, 0o755);
  await assertSecureParents(target);

  const source = await readFile(keysClientSource, 'utf8');
  const binary = join(target, 'borg-hive-keys');
  await writeFile(binary, source.replace(/^#!.*\n/, `#!${node24Path()}\n`), { mode: 0o755 });
  await chmod(binary, 0o755);

  const configFile = join(target, 'keys.env');
  const gid = Number((await runOk('id', ['-g', keysUser])).trim());
  await writeFile(configFile, await readFile(envFile), { mode: 0o640 });
  await chown(configFile, 0, gid);
  await chmod(configFile, 0o640);

  return {
    binary,
    configFile,
    command: `${binary} --config ${configFile}`,
    remove: () => rm(target, { recursive: true, force: true }),
  };
}

async function assertSecureParents(dir: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    const stat = await lstat(current);
    if (stat.uid !== 0 || (stat.mode & 0o022) !== 0 || stat.isSymbolicLink()) {
      throw new Error(`installKeysClient: ${current} must be root-owned and not group/other-writable`);
    }
    if (current === '/') return;
  }
}
