import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { readRepositoryState } from '../../adapters/watcher/repository-state.js';
import { simulateInit, simulateRead, simulateWrite } from '../../adapters/watcher/simulate.js';
import { startHive, type Hive } from '../../app.js';
import { loadConfig, type Config } from '../../config/config.js';
import { eventually } from '../../test-support/eventually.js';
import { ADMIN_PASSWORD } from '../../test-support/hive.js';
import { duplicates, fetchRepository, watchTypes } from './monitor-test-kit.js';

const MAIN = resolve(import.meta.dirname, '../../main.js');
const cleanup: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

function client(url: string) {
  return async <T>(token: string | null, query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as {
      data?: T | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
  };
}

function startAgentProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [MAIN, 'agent'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  cleanup.push(async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
  });
  return child;
}

test('borg-hive agent reports to a remote hive and catches up after the hive was down', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bh-agent-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const config: Config = loadConfig({
    BORGHIVE_DATA_DIR: join(dir, 'hive'),
    BORGHIVE_PORT: '0',
    BORGHIVE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    BORGHIVE_WATCH: 'false',
  });
  const logger = pino({ level: 'silent' });
  let hive: Hive = await startHive(config, logger);
  cleanup.push(() => hive.stop());
  config.http.port = Number(new URL(hive.url).port);
  const gql = client(hive.url);
  const admin = (
    await gql<{ login: { token: string } }>(
      null,
      `mutation{login(username:"admin",password:"${ADMIN_PASSWORD}"){token}}`,
    )
  ).data!.login.token;
  const locationId = (
    await gql<{ locations: { id: string; isDefault: boolean }[] }>(admin, '{locations{id isDefault}}')
  ).data!.locations.find((l) => l.isDefault)!.id;
  const mint = async (scope: string): Promise<string> =>
    (
      await gql<{ createApiToken: { token: string } }>(
        admin,
        'mutation($n:String!,$s:TokenScope!,$l:ID){createApiToken(name:$n,scope:$s,locationId:$l){token}}',
        { n: scope, s: scope, l: scope === 'AGENT' ? locationId : null },
      )
    ).data!.createApiToken.token;
  const agentToken = await mint('AGENT');

  // only an admin's AGENT token may report; an AGENT token may do nothing else
  const full = await gql(await mint('FULL'), '{agentRepositories{repoUser}}');
  assert.equal(full.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  const other = await gql(agentToken, '{repositories{id}}');
  assert.equal(other.errors?.[0]?.extensions?.code, 'FORBIDDEN');

  const repo = (
    await gql<{ createRepository: { id: string; repoUser: string; name: string } }>(
      admin,
      'mutation{createRepository(input:{name:"remote"}){id repoUser name}}',
    )
  ).data!.createRepository;
  const path = join(config.repoPath, repo.repoUser, repo.name);
  await simulateInit(config.repoPath, repo.repoUser, repo.name);

  const agentDir = join(dir, 'agent');
  startAgentProcess({
    BORGHIVE_DATA_DIR: agentDir,
    BORGHIVE_REPO_PATH: config.repoPath,
    BORGHIVE_API_URL: hive.url,
    BORGHIVE_API_TOKEN: agentToken,
    BORGHIVE_LOG_LEVEL: 'info',
  });
  // the agent reconciles at start: what borg init did before it ran arrives as CREATED + UPDATED
  const get = () => fetchRepository({ gql: client(hive.url) }, admin, repo.id);
  await eventually('the agent’s reconciliation', async () => {
    const r = await get();
    return watchTypes(r).includes('CREATED') && r.usageBytes !== null ? r : undefined;
  });
  // it calls in (agentHeartbeat at start, then every minute): the hive knows its location is watched
  await eventually('the agent’s first call', async () => {
    const l = await gql<{ locations: { id: string; agentSeenAt: string | null }[] }>(
      admin,
      '{locations{id agentSeenAt}}',
    );
    return l.data?.locations.find((x) => x.id === locationId)?.agentSeenAt ?? undefined;
  });
  await simulateWrite(path);
  // the session is reported before the read starts: back-to-back lock hand-overs are the watcher's
  // own tests' business (adapters/watcher), this one is about the agent's delivery
  await eventually('the write session from the agent', async () => {
    const r = await get();
    return watchTypes(r).includes('CLOSED') ? r : undefined;
  });
  await simulateRead(path, { holdMs: 300 }); // a read lasting as long as a short borg list
  const live = await eventually('live events from the agent', async () => {
    const r = await get();
    return watchTypes(r).includes('ACCESSED') ? r : undefined;
  });
  assert.deepEqual(watchTypes(live).slice(-4), ['OPENED', 'UPDATED', 'CLOSED', 'ACCESSED']);

  // the hive goes away; borg keeps writing; the agent keeps an outbox and catches up
  await hive.stop();
  for (let i = 0; i < 3; i++) await simulateWrite(path);
  await eventually('reports waiting in the agent’s outbox', async () =>
    (await readFile(join(agentDir, 'agent-outbox.jsonl'), 'utf8').catch(() => '')).includes('CLOSED')
      ? true
      : undefined,
  );
  hive = await startHive(config, logger);
  cleanup.push(() => hive.stop());
  const disk = await readRepositoryState(path);
  const caught = await eventually('the catch-up', async () => {
    const r = await get();
    return r.lastUpdatedAt === disk.lastUpdatedAt?.toISOString() && !r.isOpen ? r : undefined;
  });
  const types = watchTypes(caught);
  assert.equal(types.filter((t) => t === 'OPENED').length, 4, 'every write session while the hive was down');
  assert.equal(types.filter((t) => t === 'CLOSED').length, 4);
  assert.equal(types.filter((t) => t === 'CREATED').length, 1);
  assert.deepEqual(duplicates(caught), [], 'no event recorded twice');

  // a batch sent again (its answer lost) changes nothing
  const last = caught.events.at(-1)!;
  const again = await client(hive.url)<{ reportRepositoryEvents: { recorded: number; duplicates: number } }>(
    agentToken,
    'mutation($e:[RepositoryEventInput!]!){reportRepositoryEvents(events:$e){recorded duplicates}}',
    { e: [{ repoUser: repo.repoUser, repoName: repo.name, type: last.type, at: last.createdAt }] },
  );
  assert.deepEqual(again.data?.reportRepositoryEvents, { recorded: 0, duplicates: 1 });
});
