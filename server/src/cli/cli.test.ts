import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { AuditEntry } from '../modules/audit/index.js';
import { startTestHive, type TestHive } from '../test-support/hive.js';
import { cliEnv, hiveMain, type CliResult } from '../test-support/hive-cli.js';

function cli(args: string[], env: Record<string, string>, stdin = ''): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [hiveMain, ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

describe('borg-hive admin CLI', () => {
  let hive: TestHive;
  let env: Record<string, string>;
  before(async () => {
    hive = await startTestHive();
    env = cliEnv(hive.config);
  });
  after(() => hive.dispose());

  it('creates users with the password from standard input, lists them and changes passwords', async () => {
    const created = await cli(
      ['user', 'create', 'erin', '--email', 'erin@example.test', '--admin'],
      env,
      'erin-password-1\n',
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /created user erin \(id \d+, admin\)/);
    const before = await hive.login('erin', 'erin-password-1');
    const list = await cli(['user', 'list'], env);
    assert.match(list.stdout, /\terin\terin@example\.test\tadmin/);
    const weak = await cli(['user', 'passwd', 'erin'], env, 'short\n');
    assert.notEqual(weak.code, 0);
    assert.match(weak.stderr, /at least 8 characters/);
    assert.equal((await cli(['user', 'passwd', 'erin'], env, 'erin-password-2\n')).code, 0);
    await hive.login('erin', 'erin-password-2');
    const old = await hive.gql(before, '{me{username}}');
    assert.equal(old.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', 'a reset password ends the sessions');
    const trail = await hive.services.orm.em
      .fork()
      .find(AuditEntry, { via: 'cli' }, { orderBy: { id: 'asc' } });
    assert.deepEqual(
      trail.map((e) => [e.operation, e.target, e.outcome]),
      [
        ['cli user create', 'erin', 'OK'],
        ['cli user passwd', 'erin', 'OK'],
      ],
      'changes made from the command line are in the audit trail (the refused one is not: it changed nothing)',
    );
    assert.ok(!JSON.stringify(trail).includes('erin-password'));
  });

  it('creates, lists and revokes API tokens; the secret is shown once', async () => {
    const made = await cli(['token', 'create', 'admin', 'node-1', 'KEYS_READ'], env);
    assert.equal(made.code, 0, made.stderr);
    const token = made.stdout.split('\n')[0] ?? '';
    assert.match(token, /^bht_[A-Za-z0-9_-]{43}$/);
    const r = await hive.gql<{ authorizedKeys: string[] }>(token, '{authorizedKeys(user:"abcdefgh")}');
    assert.deepEqual(r.data, { authorizedKeys: [] });
    const list = await cli(['token', 'list', 'admin'], env);
    assert.ok(!list.stdout.includes(token), 'the list never shows secrets');
    const id = /^(\d+)\tadmin\tnode-1\tKEYS_READ/m.exec(list.stdout)?.[1];
    assert.ok(id, list.stdout);
    assert.equal((await cli(['token', 'revoke', id], env)).code, 0);
    const after = await hive.gql(token, '{authorizedKeys(user:"abcdefgh")}');
    assert.equal(after.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  it('binds AGENT tokens to a location named by name or id; other scopes refuse --location', async () => {
    const unbound = await cli(['token', 'create', 'admin', 'node-1 agent', 'AGENT'], env);
    assert.equal(unbound.code, 2);
    assert.match(unbound.stderr, /--location/);
    const full = await cli(['token', 'create', 'admin', 'script', 'FULL', '--location', 'default'], env);
    assert.equal(full.code, 2);
    assert.match(full.stderr, /only for AGENT tokens/);
    const nowhere = await cli(
      ['token', 'create', 'admin', 'node-1 agent', 'AGENT', '--location', 'mars'],
      env,
    );
    assert.equal(nowhere.code, 2);
    assert.match(nowhere.stderr, /no location mars/);
    const made = await cli(
      ['token', 'create', 'admin', 'node-1 agent', 'AGENT', '--location', 'default'],
      env,
    );
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /AGENT for location default/);
    const token = made.stdout.split('\n')[0] ?? '';
    const r = await hive.gql<{ agentRepositories: unknown[] }>(token, '{agentRepositories{repoUser}}');
    assert.deepEqual(r.data, { agentRepositories: [] });
    const locations = await hive.gql<{ locations: { id: string }[] }>(hive.adminToken, '{locations{id}}');
    const byId = await cli(
      ['token', 'create', 'admin', 'node-1 agent 2', 'AGENT', '--location', locations.data!.locations[0]!.id],
      env,
    );
    assert.equal(byId.code, 0, byId.stderr);
    const list = await cli(['token', 'list', 'admin'], env);
    assert.match(list.stdout, /\tnode-1 agent\tAGENT@default\t/);
  });

  it('explains bad usage and bad configuration', async () => {
    const bad = await cli(['token', 'create', 'admin', 'x', 'ROOT'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /READ_ONLY\|FULL\|KEYS_READ\|AGENT/);
    const config = await cli(['user', 'list'], { ...env, BORGHIVE_PORT: 'x', BORGHIVE_ACCOUNTS: 'nis' });
    assert.equal(config.code, 1);
    assert.match(config.stderr, /BORGHIVE_PORT[\s\S]*BORGHIVE_ACCOUNTS/);
  });
});
