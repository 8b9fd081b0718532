import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startLdapHive, type LdapHive } from '@borg-hive/server/testing';
import { nssNamespaceUnavailable, startNssNamespace, type NssNamespace } from './support/nss-namespace.js';
import { run } from './support/run.js';
import { makeClientKey, type ClientKey } from './support/ssh-keys.js';
import {
  installKeysClient,
  keysClientTestDir,
  startSshd,
  type InstalledKeysClient,
  type RunningSshd,
} from './support/sshd.js';

const skip = await nssNamespaceUnavailable();
if (skip !== undefined) process.stderr.write(`ldap-nss.test: skipped: ${skip}\n`);

describe('a repo user that exists only in LDAP backs up through sshd + nslcd + PAM', { skip }, () => {
  let dir: string;
  let ctx: LdapHive | undefined;
  let ns: NssNamespace | undefined;
  let client: InstalledKeysClient | undefined;
  let sshd: RunningSshd | undefined;
  let key: ClientKey;
  let repo: { repoUser: string; uid: number; gid: number; path: string; name: string };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'borg-hive-ldap-nss-'));
    await chmod(dir, 0o755);
    ctx = await startLdapHive();
    const { hive } = ctx;
    await chmod(hive.config.dataDir, 0o755); // the repo user walks down to <repo path>/<repo user>
    key = await makeClientKey(dir, 'laptop');
    const added = await hive.gql<{ addSshKey: { id: string } }>(
      hive.adminToken,
      'mutation($k: String!) { addSshKey(name: "laptop", publicKey: $k) { id } }',
      { k: key.publicKey },
    );
    const created = await hive.gql<{ createRepository: typeof repo }>(
      hive.adminToken,
      'mutation($k: ID!) { createRepository(input: { name: "main", sshKeyIds: [$k] }) { repoUser uid gid path name } }',
      { k: added.data?.addSshKey.id },
    );
    assert.ok(created.data, JSON.stringify([added.errors, created.errors]));
    repo = created.data.createRepository;
    await chmod(hive.config.repoPath, 0o755);
    // As on a storage node that is not the hive: no home yet, pam_mkhomedir makes it on first login.
    await rm(join(hive.config.repoPath, repo.repoUser), { recursive: true, force: true });

    const token = await hive.gql<{ createApiToken: { token: string } }>(
      hive.adminToken,
      'mutation { createApiToken(name: "sshd", scope: KEYS_READ) { token } }',
    );
    const envFile = join(dir, 'keys.env');
    await writeFile(
      envFile,
      `BORGHIVE_API_URL=${hive.url}\nBORGHIVE_API_TOKEN=${token.data?.createApiToken.token}\n`,
    );
    client = await installKeysClient(keysClientTestDir(), envFile, 'nobody');
    ns = await startNssNamespace({ ldapUrl: ctx.slapd.url, dir });
    sshd = await startSshd({ keysCommand: client.command, keysCommandUser: 'nobody', launcher: ns.launcher });
  });

  after(async () => {
    await sshd?.stop();
    await ns?.stop();
    await client?.remove();
    await ctx?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const diagnostics = async () =>
    `--- sshd log:\n${await sshd?.readLog()}\n--- nslcd:\n${ns?.log().slice(-4000)}`;

  test('the machine does not know the repo user; inside the namespace nslcd resolves it from LDAP', async () => {
    const outside = await run('getent', ['passwd', repo.repoUser]);
    assert.equal(outside.code, 2, `the machine's own NSS must not see it: ${outside.stdout}`);
    const inside = await ns?.run('getent', ['passwd', repo.repoUser]);
    const home = join(ctx?.hive.config.repoPath ?? '', repo.repoUser);
    assert.equal(
      inside?.stdout,
      `${repo.repoUser}:x:${repo.uid}:${repo.gid}:Borghive Repo User:${home}:/bin/bash\n`,
    );
    const foreign = await ns?.run('getent', ['passwd', 'readonly']);
    assert.equal(foreign?.code, 2, 'entries without the hive mark stay invisible');
  });

  test('borg init, create and list as the LDAP-only user, through borg-hive-keys and the forced command', async () => {
    const options = [
      'StrictHostKeyChecking=no',
      'UserKnownHostsFile=/dev/null',
      'BatchMode=yes',
      'IdentitiesOnly=yes',
    ];
    const rsh = ['ssh', '-F', '/dev/null', '-i', key.privateKeyFile, ...options.flatMap((o) => ['-o', o])];
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      BORG_BASE_DIR: join(dir, 'borg-client'),
      BORG_RSH: rsh.join(' '),
      BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
    };
    const url = `ssh://${repo.repoUser}@127.0.0.1:${sshd?.port}/./${repo.name}`;
    const borg = (args: string[]) => run('borg', args, { env, cwd: dir });

    const init = await borg(['init', '--encryption=none', url]);
    assert.equal(init.code, 0, `${init.stderr}\n${await diagnostics()}`);
    await writeFile(join(dir, 'payload.txt'), 'backed up as a user only LDAP knows\n');
    const create = await borg(['create', `${url}::first`, 'payload.txt']);
    assert.equal(create.code, 0, create.stderr);
    const list = await borg(['list', '--short', url]);
    assert.equal(list.stdout, 'first\n', list.stderr);

    const home = await stat(join(ctx?.hive.config.repoPath ?? '', repo.repoUser));
    assert.deepEqual(
      [home.uid, home.gid, home.mode & 0o7777],
      [repo.uid, repo.gid, 0o770],
      'pam_mkhomedir made it',
    );
    const config = await stat(join(repo.path, 'config'));
    assert.equal(config.uid, repo.uid, 'borg serve ran as the LDAP uid');
    const log = (await sshd?.readLog()) ?? '';
    assert.match(
      log,
      new RegExp(`Accepted publickey for ${repo.repoUser} from 127\\.0\\.0\\.1 .*${escape(key.fingerprint)}`),
    );
    assert.match(
      log,
      new RegExp(
        `forced-command \\(key-option\\) 'borg serve --umask 007 --restrict-to-repository ${escape(repo.path)}'`,
      ),
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
