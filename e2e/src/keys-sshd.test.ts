import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRepoUser, type RepoUser } from './support/repo-user.js';
import { run } from './support/run.js';
import {
  installKeysClient,
  keysClientTestDir,
  startSshd,
  type InstalledKeysClient,
  type RunningSshd,
} from './support/sshd.js';
import { makeClientKey, type ClientKey } from './support/ssh-keys.js';
import { answerKeys, startStandInApi, type StandInApi } from './support/stand-in-api.js';

const token = 'keys-read-token-for-sshd-test';

describe(
  'sshd asks borg-hive-keys, and the forced borg serve runs',
  { skip: process.getuid?.() !== 0 },
  () => {
    let dir: string;
    let repoRoot: string;
    let repoUser: RepoUser | undefined;
    let good: ClientKey;
    let other: ClientKey;
    let api: StandInApi;
    let client: InstalledKeysClient | undefined;
    let sshd: RunningSshd | undefined;
    let repoPath: string;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'borg-hive-sshd-test-'));
      repoRoot = join(dir, 'repos');
      await mkdir(repoRoot, { mode: 0o755 });
      await chmod(dir, 0o755);
      repoUser = await createRepoUser(repoRoot);
      repoPath = join(repoUser.home, 'main');
      good = await makeClientKey(dir, 'good');
      other = await makeClientKey(dir, 'other');
      const line = `command="borg serve --umask 007 --restrict-to-repository ${repoPath}",restrict ${good.publicKey}`;
      api = await startStandInApi((request, response) => {
        const { variables } = JSON.parse(request.body) as { variables: { user: string } };
        const authorized =
          request.headers.authorization === `Bearer ${token}` && variables.user === repoUser?.name;
        answerKeys(response, authorized ? [line] : []);
      });
      const envFile = join(dir, 'keys.env');
      await writeFile(envFile, `BORGHIVE_API_URL=${api.url}\nBORGHIVE_API_TOKEN=${token}\n`);
      client = await installKeysClient(keysClientTestDir(), envFile, 'nobody');
      sshd = await startSshd({ keysCommand: client.command, keysCommandUser: 'nobody' });
    });

    after(async () => {
      await sshd?.stop();
      await client?.remove();
      await repoUser?.remove();
      await api?.close();
      await rm(dir, { recursive: true, force: true });
    });

    function sshArgs(key: ClientKey): string[] {
      const options = [
        'StrictHostKeyChecking=no',
        'UserKnownHostsFile=/dev/null',
        'BatchMode=yes',
        'IdentitiesOnly=yes',
      ];
      return ['-F', '/dev/null', '-i', key.privateKeyFile, ...options.flatMap((o) => ['-o', o])];
    }

    function borg(key: ClientKey, args: string[]) {
      const env = {
        PATH: process.env.PATH,
        HOME: dir,
        BORG_BASE_DIR: join(dir, 'borg-client'),
        BORG_RSH: ['ssh', ...sshArgs(key)].join(' '),
        BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
      };
      return run('borg', args, { env, cwd: dir });
    }

    const url = (path: string) => `ssh://${repoUser?.name}@127.0.0.1:${sshd?.port}${path}`;

    test('a returned key runs borg serve: init, create and list through the forced command', async () => {
      const init = await borg(good, ['init', '--encryption=none', url(repoPath)]);
      assert.equal(init.code, 0, `${init.stderr}\n--- sshd log ${sshd?.logFile}:\n${await sshd?.readLog()}`);
      const config = await stat(join(repoPath, 'config'));
      assert.equal(config.uid, repoUser?.uid);

      await writeFile(join(dir, 'payload.txt'), 'backed up through borg-hive-keys\n');
      const create = await borg(good, ['create', `${url(repoPath)}::first`, 'payload.txt']);
      assert.equal(create.code, 0, create.stderr);
      const list = await borg(good, ['list', '--short', url(repoPath)]);
      assert.equal(list.code, 0, list.stderr);
      assert.equal(list.stdout, 'first\n');

      const log = (await sshd?.readLog()) ?? '';
      assert.match(
        log,
        new RegExp(
          `Accepted publickey for ${repoUser?.name} from 127\\.0\\.0\\.1 .*${escape(good.fingerprint)}`,
        ),
      );
      assert.match(log, /forced-command \(key-option\) 'borg serve --umask 007 --restrict-to-repository /);
      const lookup = api.requests.find((r) => r.body.includes(good.fingerprint));
      assert.ok(lookup, 'sshd passed %f to the client');
      assert.deepEqual((JSON.parse(lookup.body) as { variables: unknown }).variables, {
        user: repoUser?.name,
        fingerprint: good.fingerprint,
      });
    });

    test('the forced command keeps the key to its one repository', async () => {
      const elsewhere = await borg(good, [
        'init',
        '--encryption=none',
        url(join(repoUser?.home ?? '', 'second')),
      ]);
      assert.notEqual(elsewhere.code, 0);
      assert.match(elsewhere.stderr, /not allowed|PathNotAllowed/);
    });

    test('a key the API does not return is refused', async () => {
      const ssh = await run('ssh', [
        ...sshArgs(other),
        '-p',
        String(sshd?.port),
        `${repoUser?.name}@127.0.0.1`,
        'true',
      ]);
      assert.equal(ssh.code, 255);
      assert.match(ssh.stderr, /Permission denied \(publickey\)/);
      const log = (await sshd?.readLog()) ?? '';
      assert.doesNotMatch(log, new RegExp(`Accepted publickey .*${escape(other.fingerprint)}`));
      assert.ok(api.requests.some((r) => r.body.includes(other.fingerprint)));
    });
  },
);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
