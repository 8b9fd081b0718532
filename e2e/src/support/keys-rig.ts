import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHive, type TestHive } from '@borg-hive/server/testing';
import { HiveApi, type CreatedRepository, type RepositoryInput } from './hive-api.js';
import { run } from './run.js';
import {
  installKeysClient,
  keysClientTestDir,
  startSshd,
  type InstalledKeysClient,
  type RunningSshd,
} from './sshd.js';

export interface KeysRig {
  /** A real hive in this process: BORGHIVE_ACCOUNTS=local, repositories under repoPath. */
  hive: TestHive;
  api: HiveApi;
  /** sshd from the project's sshd_config, asking the installed borg-hive-keys (as nobody). */
  sshd: RunningSshd;
  client: InstalledKeysClient;
  /** A temp dir of the test (0755): client keys, payloads, borg client state. */
  dir: string;
  repoPath: string;
  /** The admin's KEYS_READ token the installed client uses. */
  keysToken: string;
  /** Rewrites the installed client's keys.env (it is read on every lookup). */
  setKeysEnv(url: string, token: string): Promise<void>;
  /** createRepository as admin; the rig removes the repository's account in dispose(). */
  createRepository(input: RepositoryInput & { name: string }): Promise<CreatedRepository>;
  dispose(): Promise<void>;
}

/**
 * hive + sshd + borg-hive-keys wired together as on a single-host install. Needs root. `dialect`: the
 * hive's database (SQLite unless asked; MariaDB when a second hive process shares it).
 */
export async function startKeysRig(
  opts: { dialect?: 'sqlite' | 'mariadb'; env?: Record<string, string> } = {},
): Promise<KeysRig> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const repoUsers: string[] = [];
  const dispose = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    for (const user of repoUsers) await run('userdel', [user]);
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), 'bh-keys-rig-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await chmod(dir, 0o755); // repo users traverse it to their homes
    const repoPath = join(dir, 'repos');
    await mkdir(repoPath, { mode: 0o755 });
    const envFile = join(dir, 'keys.env');
    await writeFile(envFile, 'BORGHIVE_API_URL=http://127.0.0.1:9\nBORGHIVE_API_TOKEN=not-yet\n');
    const client = await installKeysClient(keysClientTestDir(), envFile, 'nobody');
    cleanups.push(() => client.remove());
    const sshd = await startSshd({ keysCommand: client.command, keysCommandUser: 'nobody' });
    cleanups.push(() => sshd.stop());
    const hive = await startTestHive({
      dialect: opts.dialect ?? 'sqlite',
      env: {
        BORGHIVE_ACCOUNTS: 'local',
        BORGHIVE_REPO_PATH: repoPath,
        BORGHIVE_REPO_GID: '100',
        BORGHIVE_SSH_HOST: '127.0.0.1',
        BORGHIVE_SSH_PORT: String(sshd.port),
        BORGHIVE_SSH_HOST_KEYS_FILE: sshd.hostKeyFile,
        ...opts.env,
      },
    });
    cleanups.push(() => hive.dispose());
    const api = new HiveApi(hive);
    const keysToken = await api.createApiToken(hive.adminToken, 'storage node', 'KEYS_READ');
    const setKeysEnv = (url: string, token: string) =>
      writeFile(client.configFile, `BORGHIVE_API_URL=${url}\nBORGHIVE_API_TOKEN=${token}\n`);
    await setKeysEnv(hive.url, keysToken);
    const createRepository = async (input: RepositoryInput & { name: string }) => {
      const repo = await api.createRepository(hive.adminToken, input);
      repoUsers.push(repo.repoUser);
      return repo;
    };
    return { hive, api, sshd, client, dir, repoPath, keysToken, setKeysEnv, createRepository, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
