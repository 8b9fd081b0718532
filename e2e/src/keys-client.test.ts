import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { authorizedKeysQuery, runKeysClient } from './support/keys-client.js';
import { keysClientSource, node24Path } from './support/paths.js';
import { run } from './support/run.js';
import { makeClientKey, type ClientKey } from './support/ssh-keys.js';
import { answerKeys, startStandInApi, type StandInApi } from './support/stand-in-api.js';

const user = 'k3y5u5er';
const repo = `/srv/borg-hive/repos/${user}`;

describe('borg-hive-keys against a stand-in API', () => {
  let dir: string;
  let alice: ClientKey;
  let bob: ClientKey;
  let api: StandInApi;
  let lines: string[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'borg-hive-keys-'));
    alice = await makeClientKey(dir, 'alice');
    bob = await makeClientKey(dir, 'bob', 'ecdsa');
    lines = [
      `command="borg serve --umask 007 --restrict-to-repository ${repo}/main",restrict ${alice.publicKey}`,
      `command="borg serve --umask 007 --storage-quota 1073741824 --restrict-to-repository ${repo}/q",restrict ${alice.type} ${alice.base64}`,
      `command="borg serve --umask 007 --append-only --restrict-to-repository ${repo}/main",restrict ${bob.publicKey}   `,
      `command="rrsync -wo -munge ${repo}/import",restrict ${bob.type} ${bob.base64} bob's import key`,
      `command="rrsync -ro ${repo}/export.1",restrict ${alice.publicKey}`,
      `command="rrsync -wo ${repo}/older",restrict ${alice.publicKey}`,
      `command="/usr/bin/borg2 serve --rest --umask 007 --restrict-to-repository ${repo}/two --permissions write-only",restrict ${bob.publicKey}`,
    ];
    api = await startStandInApi((request, response) =>
      answerKeys(response, request.path === '/graphql' ? lines : []),
    );
  });
  after(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  const env = () => ({ BORGHIVE_API_URL: api.url, BORGHIVE_API_TOKEN: 'keys-read-token' });

  test('prints every line, re-serialised, and sends the documented query', async () => {
    const result = await runKeysClient({ args: ['--user', user], env: env() });
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.deepEqual(result.stdout.split('\n'), [
      lines[0],
      lines[1],
      lines[2].trimEnd(),
      lines[3],
      lines[4],
      // a hive older than the munged IMPORT line: the storage node munges all the same
      `command="rrsync -wo -munge ${repo}/older",restrict ${alice.publicKey}`,
      lines[6],
      '',
    ]);
    const request = api.requests.at(-1);
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/graphql');
    assert.equal(request.headers.authorization, 'Bearer keys-read-token');
    assert.match(request.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(request.body), { query: authorizedKeysQuery, variables: { user } });
  });

  test('a refused login runs this file by absolute path; it prints the reason on stderr and exits 1', async () => {
    const refusal = `command="borg-hive-keys --refuse over-quota q.2 12582912 10485760",restrict ${alice.publicKey}`;
    const refusing = await startStandInApi((_request, response) => answerKeys(response, [refusal]));
    try {
      const result = await runKeysClient({
        args: ['--user', user],
        env: { ...env(), BORGHIVE_API_URL: refusing.url },
      });
      assert.equal(result.code, 0, result.stderr);
      const forced = `${node24Path()} ${keysClientSource} --refuse over-quota q.2 12582912 10485760`;
      assert.equal(result.stdout, `command="${forced}",restrict ${alice.publicKey}\n`);
      // what sshd does with it: the repository user's shell runs the forced command
      const login = await run('/bin/sh', ['-c', forced], { env: {} });
      assert.equal(login.code, 1);
      assert.equal(login.stdout, '');
      assert.equal(
        login.stderr,
        'borg-hive: repository q.2 is over its quota (12582912 of 10485760 bytes used): ' +
          'the login is refused until its owner raises the quota or frees space\n',
      );
      for (const args of [
        [],
        ['other', 'q', '1', '2'],
        ['over-quota', '$(id)', '1', '2'],
        ['over-quota', 'q', '1'],
      ]) {
        const odd = await runKeysClient({ args: ['--refuse', ...args] });
        assert.equal(odd.code, 1, JSON.stringify(args));
        assert.equal(odd.stderr, 'borg-hive: the login is refused\n', JSON.stringify(args));
      }
    } finally {
      await refusing.close();
    }
  });

  test('with --fingerprint it passes the fingerprint on (the API filters)', async () => {
    const args = ['--user', user, '--fingerprint', bob.fingerprint];
    const result = await runKeysClient({ args, env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.split('\n').length, lines.length + 1);
    const body: unknown = JSON.parse(api.requests.at(-1)?.body ?? '');
    assert.deepEqual(body, { query: authorizedKeysQuery, variables: { user, fingerprint: bob.fingerprint } });
  });

  test('reads URL and token from --config, appending /graphql to the base URL', async () => {
    const config = join(dir, 'keys.env');
    const text = `# written by the test\nBORGHIVE_API_URL=${api.url}/\n\nBORGHIVE_API_TOKEN="from-file"\n`;
    await writeFile(config, text, { mode: 0o640 });
    const result = await runKeysClient({ args: ['--user', user, '--config', config] });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.split('\n').length, lines.length + 1);
    assert.equal(api.requests.at(-1)?.headers.authorization, 'Bearer from-file');
    assert.equal(api.requests.at(-1)?.path, '/graphql');
  });

  test('refuses a world-readable config file without asking the API', async () => {
    const config = join(dir, 'open.env');
    await writeFile(config, `BORGHIVE_API_URL=${api.url}\nBORGHIVE_API_TOKEN=t\n`);
    await chmod(config, 0o644);
    const seen = api.requests.length;
    const result = await runKeysClient({ args: ['--user', user, '--config', config] });
    assert.equal(result.stdout, '');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^borg-hive-keys: .*open\.env must not be .*\n$/);
    assert.equal(api.requests.length, seen);
  });

  test('a missing config file fails closed', async () => {
    const result = await runKeysClient({ args: ['--user', user, '--config', join(dir, 'missing.env')] });
    assert.equal(result.stdout, '');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ENOENT/);
  });

  test('an empty answer prints nothing and is not an error', async () => {
    const empty = await startStandInApi((_request, response) => answerKeys(response, []));
    try {
      const result = await runKeysClient({
        args: ['--user', user],
        env: { ...env(), BORGHIVE_API_URL: empty.url },
      });
      assert.equal(result.stdout, '');
      assert.equal(result.code, 0);
    } finally {
      await empty.close();
    }
  });

  test('runs on the system Node (>= 18) too', { skip: !existsSync('/usr/bin/node') }, async () => {
    const result = await runKeysClient({ args: ['--user', user], env: env(), node: '/usr/bin/node' });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.split('\n').length, lines.length + 1);
  });

  test('API down (closed port) fails closed', async () => {
    const port = await closedPort();
    const result = await runKeysClient({
      args: ['--user', user],
      env: { BORGHIVE_API_URL: `http://127.0.0.1:${port}`, BORGHIVE_API_TOKEN: 't' },
    });
    assert.equal(result.stdout, '');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /API unreachable: ECONNREFUSED/);
  });

  test('an API answering after 3 s is abandoned within the 2 s budget', async () => {
    let answeredToGoneClient: boolean | undefined;
    const slow = await startStandInApi((_request, response) => {
      setTimeout(() => {
        answeredToGoneClient = response.socket === null || response.socket.destroyed;
        if (!answeredToGoneClient) answerKeys(response, lines);
      }, 3000).unref();
    });
    try {
      const result = await runKeysClient({
        args: ['--user', user],
        env: { ...env(), BORGHIVE_API_URL: slow.url },
      });
      assert.equal(result.stdout, '');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /budget|in time/);
      assert.ok(result.ms < 2500, `exited after ${Math.round(result.ms)} ms`);
      assert.notEqual(answeredToGoneClient, false);
    } finally {
      await slow.close();
    }
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
