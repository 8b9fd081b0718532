import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startTestHive, type TestHive } from '@borg-hive/server/testing';
import { HiveApi, type CreatedRepository, type RepositoryInput } from './hive-api.js';
import { node24Path } from './paths.js';
import { run } from './run.js';
import { startSidNode, type SidNode } from './sid-node.js';
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
  /** With { sidNode: true }: the storage node the sshd runs in (see sidNodeUnavailable for the skip). */
  node?: SidNode;
  client: InstalledKeysClient;
  /** A temp dir of the test (0755): client keys, payloads, borg client state. */
  dir: string;
  repoPath: string;
  /** The admin's KEYS_READ token the installed client uses. */
  keysToken: string;
  /** Rewrites the installed client's keys.env (it is read on every lookup). */
  setKeysEnv(url: string, token: string): Promise<void>;
  /**
   * createRepository as admin (the hive adds the repository's account here); with a sid node, the same
   * account in the node's own passwd too. The rig removes the account in dispose().
   */
  createRepository(input: RepositoryInput & { name: string }): Promise<CreatedRepository>;
  dispose(): Promise<void>;
}

/**
 * hive + sshd + borg-hive-keys wired together as on a single-host install. Needs root. `dialect`: the
 * hive's database (SQLite unless asked; MariaDB when a second hive process shares it). `env`: more of the
 * hive's settings (e.g. BORGHIVE_WATCH). `sidNode`: sshd (and so `borg serve`) runs in a storage node
 * made of the Debian sid root (borg 1.4, borg2, OpenSSH 10) instead of on this machine.
 */
export async function startKeysRig(
  opts: { dialect?: 'sqlite' | 'mariadb'; env?: Record<string, string>; sidNode?: boolean } = {},
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
    let node: SidNode | undefined;
    if (opts.sidNode) {
      const binds = [dirname(client.binary), node24Path()];
      node = await startSidNode({ dir: join(dir, 'node'), binds });
      cleanups.push(() => node!.stop());
    }
    const sshd = await startSshd({
      keysCommand: client.command,
      keysCommandUser: 'nobody',
      launcher: node?.launcher,
    });
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
      if (node !== undefined) await addNodeUser(node, repo);
      return repo;
    };
    return {
      hive,
      api,
      sshd,
      node,
      client,
      dir,
      repoPath,
      keysToken,
      setKeysEnv,
      createRepository,
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** The repository's account in the node's passwd (an overlay layer of the test), as the hive made it here. */
async function addNodeUser(node: SidNode, repo: CreatedRepository): Promise<void> {
  const home = dirname(repo.path);
  const add = await node.run('useradd', [
    '-M',
    '-d',
    home,
    '-u',
    String(repo.uid),
    '-g',
    '100',
    repo.repoUser,
  ]);
  if (add.code !== 0) throw new Error(`useradd ${repo.repoUser} in the sid node: ${add.stderr.trim()}`);
}
