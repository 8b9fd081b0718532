import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runKeysClient } from './support/keys-client.js';
import { makeClientKey, type ClientKey } from './support/ssh-keys.js';
import { answerJson, answerKeys, startStandInApi, type StandInApi } from './support/stand-in-api.js';

const user = 'h0st1l3x';
const repo = `/srv/repos/${user}/main`;

// Linux refuses a single argv string over 128 KiB (MAX_ARG_STRLEN), so the "huge" user is just below it.
const hostileUsers = [
  '',
  '.',
  '..',
  'a/b',
  '../../etc/passwd',
  '/etc/pas',
  'abcd123"',
  "abcd'123",
  'abcd 123',
  ' abcd123',
  'abcd123 ',
  'abcd1234\n',
  '\nabcd1234',
  'abcd123\n',
  'abcd\t123',
  'abcd123\r',
  '%u',
  'abcd%123',
  'äbcd1234',
  'abcd123ä',
  '\uff41bcd1234',
  'abcd\u200b123',
  'abcd123\u00a0',
  'ABCD1234',
  'Abcd1234',
  'abcd123',
  'abcd12345',
  '-x',
  '--user',
  '--config',
  'abcd-123',
  'abcd_123',
  'abcd.123',
  '*',
  'root',
  '$(id)xyz',
  '`id`abcd',
  'abc;1234',
  'abc|1234',
  'abcd123\\',
  'abcd1234@',
  'a'.repeat(131_000),
];

describe('borg-hive-keys refuses hostile input', () => {
  let dir: string;
  let key: ClientKey;
  let api: StandInApi;
  let respond: (response: ServerResponse) => void = (response) => answerKeys(response, []);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'borg-hive-keys-hostile-'));
    key = await makeClientKey(dir, 'k');
    api = await startStandInApi((_request, response) => respond(response));
  });
  after(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  const env = () => ({ BORGHIVE_API_URL: api.url, BORGHIVE_API_TOKEN: 'token' });
  const good = () =>
    `command="borg serve --umask 007 --restrict-to-repository ${repo}",restrict ${key.publicKey}`;

  async function assertRefused(
    args: readonly string[],
    why: RegExp | undefined,
    label: string,
  ): Promise<void> {
    const result = await runKeysClient({ args, env: env() });
    assert.equal(result.stdout, '', `${label}: printed something`);
    assert.notEqual(result.code, 0, `${label}: exit 0`);
    assert.equal(result.stderr.split('\n').length, 2, `${label}: stderr is not one line: ${result.stderr}`);
    if (why) assert.match(result.stderr, why, label);
  }

  test(`${hostileUsers.length} hostile --user values: refused before any request`, async () => {
    respond = (response) => answerKeys(response, [good()]);
    assert.ok(hostileUsers.length >= 30);
    for (const hostile of hostileUsers) {
      await assertRefused(['--user', hostile], /--user|argument/, JSON.stringify(hostile.slice(0, 40)));
    }
    assert.equal(api.requests.length, 0);
  });

  test('malformed argument lists: refused before any request', async () => {
    const lists = [
      [],
      ['--user'],
      ['--user', user, '--user', 'abcd1234'],
      [`--user=${user}`],
      ['--user', user, '--fingerprint', 'SHA256:short'],
      ['--user', user, '--fingerprint', `MD5:${'a'.repeat(43)}`],
      ['--user', user, '--fingerprint', `SHA256:${'a'.repeat(43)}\ncommand="x"`],
      ['--user', user, '--fingerprint'],
      ['--user', user, 'extra'],
    ];
    for (const args of lists) await assertRefused(args, undefined, JSON.stringify(args));
    assert.equal(api.requests.length, 0);
  });

  const badAnswers: Array<[string, (response: ServerResponse) => void, RegExp]> = [
    ['HTTP 401', (r) => answerJson(r, 401, { errors: [{ message: 'no' }] }), /HTTP 401/],
    ['HTTP 500', (r) => answerJson(r, 500, {}), /HTTP 500/],
    [
      'GraphQL FORBIDDEN',
      (r) =>
        answerJson(r, 200, {
          data: null,
          errors: [{ message: 'KEYS_READ scope required', extensions: { code: 'FORBIDDEN' } }],
        }),
      /FORBIDDEN/,
    ],
    ['malformed JSON', (r) => r.end('{"data":{"authorizedKeys":["'), /not JSON/],
    ['JSON that is not an object', (r) => answerJson(r, 200, ['x']), /authorizedKeys/],
    ['data null', (r) => answerJson(r, 200, { data: null }), /authorizedKeys/],
    ['a list of non-strings', (r) => answerJson(r, 200, { data: { authorizedKeys: [1] } }), /not a string/],
    [
      'an answer over 1 MiB',
      (r) =>
        answerKeys(
          r,
          Array.from({ length: 8000 }, () => good()),
        ),
      /1 MiB/,
    ],
  ];
  for (const [label, answer, why] of badAnswers) {
    test(`${label}: fails closed`, async () => {
      respond = answer;
      await assertRefused(['--user', user], why, label);
    });
  }

  test('any hostile line refuses the whole answer', async () => {
    const k = () => `${key.type} ${key.base64}`;
    const borg = (path: string) =>
      `command="borg serve --umask 007 --restrict-to-repository ${path}",restrict`;
    const hostileLines = [
      `${borg(repo)},from="0.0.0.0/0" ${k()}`,
      `${borg(repo)},permitopen="*:*" ${k()}`,
      `no-pty,${borg(repo)} ${k()}`,
      `${borg(repo)} ${k()}\n${borg(repo)} ${k()}`,
      `${borg(repo)} ${k()} comment\ncommand="sh",restrict ${k()}`,
      `${borg(repo)} ${k()} a"b`,
      `${borg(repo)} ${k()} tab\there`,
      `${borg('/srv/repos/someone1/main')} ${k()}`,
      `${borg(`/srv/repos/${user}/../someone1/main`)} ${k()}`,
      `${borg(`/srv/repos/${user}/main/..`)} ${k()}`,
      `${borg(`/srv/repos/${user}//main`)} ${k()}`,
      `${borg(`srv/repos/${user}/main`)} ${k()}`,
      `${borg(`/srv/repos/${user}/main dir`)} ${k()}`,
      `${borg(`/srv/repos/${user}/ma$in`)} ${k()}`,
      `${borg(`/srv/repos/${user}`)} ${k()}`,
      `command="borg serve --restrict-to-path /",restrict ${k()}`,
      `command="borg serve --umask 007 --append-only --restrict-to-repository ${repo}; sh",restrict ${k()}`,
      `command="borg serve --umask 007 --storage-quota 10G --restrict-to-repository ${repo}",restrict ${k()}`,
      `command="/bin/sh -c id",restrict ${k()}`,
      `command="rrsync -rw ${repo}",restrict ${k()}`,
      `command="rrsync ${repo}",restrict ${k()}`,
      `command="rrsync -munge -wo ${repo}",restrict ${k()}`,
      `command="rrsync -ro -munge ${repo}",restrict ${k()}`,
      `command="rrsync -wo -munge -absolute ${repo}",restrict ${k()}`,
      `${borg(repo)} ${k()}`.replace(',restrict', ''),
      `${borg(repo)} ssh-dss ${key.base64}`,
      `${borg(repo)} ssh-rsa ${key.base64}`,
      `${borg(repo)} ${key.type} ${key.base64.slice(0, -1)}`,
      `${borg(repo)} ${key.type} ${key.base64}=`,
      `${borg(repo)} ${key.type} AAAA`,
      ` ${borg(repo)} ${k()}`,
      `${borg(repo)}  ${k()}`,
      // borg 2: --rest, --umask and --permissions are pinned, in this order, with a known permission
      `command="borg2 serve --rest --umask 007 --restrict-to-repository ${repo} --permissions everything",restrict ${k()}`,
      `command="borg2 serve --rest --umask 007 --restrict-to-repository ${repo}",restrict ${k()}`,
      `command="borg2 serve --umask 007 --restrict-to-repository ${repo} --permissions all",restrict ${k()}`,
      `command="borg2 serve --rest --umask 007 --restrict-to-repository /srv/repos/someone1/main --permissions all",restrict ${k()}`,
      `command="borg2 serve --rest --umask 007 --restrict-to-repository ${repo} --permissions all --backend FILE:/",restrict ${k()}`,
      `command="borg 2 serve --umask 007 --restrict-to-repository ${repo}",restrict ${k()}`,
      `command="$(id) serve --umask 007 --restrict-to-repository ${repo}",restrict ${k()}`,
      // a refused login: only this file, only over-quota, a repository name and two whole numbers
      `command="borg-hive-keys --refuse over-quota a;id 1 2",restrict ${k()}`,
      `command="borg-hive-keys --refuse over-quota $(id) 1 2",restrict ${k()}`,
      `command="borg-hive-keys --refuse over-quota main 1 2; sh",restrict ${k()}`,
      `command="borg-hive-keys --refuse over-quota main -1 2",restrict ${k()}`,
      `command="borg-hive-keys --refuse over-quota main 1",restrict ${k()}`,
      `command="borg-hive-keys --refuse anything main 1 2",restrict ${k()}`,
      `command="/tmp/borg-hive-keys --refuse over-quota main 1 2",restrict ${k()}`,
      `command="borg-hive-keys --user ${user}",restrict ${k()}`,
      `command="borg-hive-keys --refuse over-quota main 1 2",restrict ssh-dss ${key.base64}`,
    ];
    for (const [index, line] of hostileLines.entries()) {
      respond = (response) => answerKeys(response, [good(), line]);
      await assertRefused(
        ['--user', user],
        /key line 2 refused/,
        `hostile line ${index}: ${line.slice(0, 80)}`,
      );
    }
    respond = (response) => answerKeys(response, [good()]);
    const control = await runKeysClient({ args: ['--user', user], env: env() });
    assert.equal(control.stdout, `${good()}\n`);
  });
});
