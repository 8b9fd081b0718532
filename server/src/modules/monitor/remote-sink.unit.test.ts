import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonAnswer } from '../../adapters/outbound/post-json.js';
import { FakeTime, settle } from '../../test-support/fakes/fake-time.js';
import { MemoryTextFile } from '../../test-support/fakes/memory-text-file.js';
import { recordingLogger } from '../../test-support/fakes/recording-logger.js';
import { scriptedPost, type PostedRequest } from '../../test-support/fakes/scripted-post.js';
import type { WatchReport } from './event-sink.js';
import { Outbox } from './outbox.js';
import { RemoteSink } from './remote-sink.js';

const report = (repoName: string): WatchReport => ({
  repoUser: 'u1234567',
  repoName,
  type: 'UPDATED',
  at: new Date('2026-01-01T00:00:00Z'),
});

const recorded = (n: number): JsonAnswer => ({
  status: 200,
  body: { data: { reportRepositoryEvents: { recorded: n, duplicates: 0, unknown: 0 } } },
});

const namesIn = (r: PostedRequest) =>
  (r.body.variables.events as { repoName: string }[]).map((e) => e.repoName);

function sink(answer: (r: PostedRequest) => JsonAnswer | Error, file = new MemoryTextFile()) {
  const time = new FakeTime();
  const { logger, lines } = recordingLogger();
  const { post, requests } = scriptedPost(answer, () => time.now());
  const remote = new RemoteSink(
    { apiUrl: 'https://hive.example', token: 'agent-token', logger, outboxFile: null, maxRetryMs: 2000 },
    { post, clock: time, timers: time, outbox: new Outbox(file) },
  );
  return { time, lines, requests, remote, file };
}

it('posts reports to /graphql with its token, in order, and counts what the hive recorded', async () => {
  const { requests, remote } = sink((r) => recorded(namesIn(r).length));
  await remote.reportEvents([report('a'), report('b')]);
  await settle();
  assert.equal(requests[0]?.url, 'https://hive.example/graphql');
  assert.equal(requests[0]?.headers.authorization, 'Bearer agent-token');
  assert.deepEqual(requests.map(namesIn), [['a', 'b']]);
  assert.deepEqual(remote.delivered, { recorded: 2, duplicates: 0, unknown: 0 });
  assert.equal(remote.pending, 0);
});

it('retries an unreachable hive with back-off doubling from 250 ms up to maxRetryMs', async () => {
  let down = 6;
  const { time, lines, requests, remote } = sink(() =>
    down-- > 0 ? new Error('ECONNREFUSED') : recorded(1),
  );
  const start = time.now().getTime();
  await remote.reportEvents([report('a')]);
  await time.advance(60_000);
  assert.deepEqual(
    requests.map((r) => r.at - start),
    [0, 250, 750, 1750, 3750, 5750, 7750],
    'waits of 250, 500, 1000, 2000, then 2000 (the cap)',
  );
  assert.equal(remote.pending, 0);
  assert.equal(lines.filter((l) => l.msg === 'hive unreachable; retrying').length, 1, 'warned once');
  assert.equal(lines.find((l) => l.msg === 'hive reachable again')?.failures, 6);
});

it('drops the reports the hive refuses for good and delivers the rest of the batch', async () => {
  const { requests, remote, lines, file } = sink((r) =>
    namesIn(r).includes('bad')
      ? {
          status: 200,
          body: {
            errors: [
              {
                message: 'invalid reports',
                extensions: {
                  code: 'BAD_USER_INPUT',
                  problems: [{ field: 'events.1.at', message: 'future' }],
                },
              },
            ],
          },
        }
      : recorded(namesIn(r).length),
  );
  await remote.reportEvents([report('a'), report('bad'), report('c')]);
  await settle();
  assert.deepEqual(requests.map(namesIn), [
    ['a', 'bad', 'c'],
    ['a', 'c'],
  ]);
  assert.deepEqual(remote.delivered, { recorded: 2, duplicates: 0, unknown: 0 });
  assert.equal(
    lines.find((l) => l.msg === 'the hive refused reports: dropped')?.reason,
    'hive answered 200: invalid reports',
  );
  assert.equal(file.content, '', 'nothing left in the outbox file');
});

it('open delivers what the last run left in the outbox file', async () => {
  const left = new MemoryTextFile(`${JSON.stringify(report('old'))}\n`);
  const { requests, remote } = sink(() => recorded(1), left);
  await remote.open();
  assert.deepEqual(requests.map(namesIn), [['old']]);
  assert.equal(left.content, '');
});

it('drained gives up after its timeout while the hive is down; stop ends the retries', async () => {
  const { time, requests, remote, file } = sink(() => new Error('ECONNREFUSED'));
  await remote.reportEvents([report('a')]);
  const drained = remote.drained(1000);
  await time.advance(1000);
  assert.equal(await drained, false);
  assert.equal(remote.pending, 1);
  assert.match(file.content ?? '', /"repoName":"a"/, 'kept in the file for the next run');
  remote.stop();
  await settle();
  const sent = requests.length;
  await time.advance(60_000);
  assert.equal(requests.length, sent, 'no attempt after stop');
});

it('calls in with agentHeartbeat once per call; an unreachable hive is logged, not retried', async () => {
  let up = true;
  const { requests, remote, lines } = sink(() =>
    up ? { status: 200, body: { data: { agentHeartbeat: true } } } : new Error('connection refused'),
  );
  assert.equal(await remote.heartbeat(), true);
  assert.match(requests[0]?.body.query ?? '', /agentHeartbeat/);
  up = false;
  assert.equal(await remote.heartbeat(), false);
  assert.equal(requests.length, 2, 'no retry: the next beat is a minute away');
  assert.ok(lines.some((l) => /heartbeat to the hive failed/.test(JSON.stringify(l))));
});

it('asks a hive from before borg 2 for the borg 1 fields only, and sends borg 2 reports without watcher fields', async () => {
  const row = {
    repoUser: 'u1234567',
    repoName: 'a',
    exists: true,
    initialized: true,
    isOpen: false,
    lastUpdatedAt: null,
    lastAccessAt: null,
  };
  const { requests, remote } = sink((r) => {
    const query = r.body.query as string;
    if (query.includes('reportRepositoryEvents')) return recorded(1);
    return query.includes('borgVersion')
      ? {
          status: 400,
          body: { errors: [{ message: 'Cannot query field "borgVersion" on type "AgentRepository".' }] },
        }
      : { status: 200, body: { data: { agentRepositories: [row] } } };
  });
  const known = await remote.knownRepositories();
  assert.deepEqual(
    known.map((k) => [k.repoName, k.borgVersion]),
    [['a', undefined]],
  );
  await remote.knownRepositories();
  assert.equal(
    requests.filter((r) => (r.body.query as string).includes('borgVersion')).length,
    1,
    'asked once',
  );
  const borg2 = { ...report('a'), type: 'ARCHIVE_DELETED' as const, archiveCount: 2, ids: ['f'.repeat(64)] };
  await remote.reportEvents([{ ...borg2, path: '/repos/u1234567/a' } as WatchReport]);
  await settle();
  assert.deepEqual(requests.at(-1)?.body.variables.events, [
    {
      repoUser: 'u1234567',
      repoName: 'a',
      type: 'ARCHIVE_DELETED',
      at: '2026-01-01T00:00:00.000Z',
      usageBytes: null,
      archiveCount: 2,
      ids: ['f'.repeat(64)],
    },
  ]);
});
