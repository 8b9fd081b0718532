import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import type { TestHive } from '../../test-support/hive.js';
import { createRepository, DAY, emOf, eventsOf, startAlertHive } from '../alert/testing.js';

/**
 * POSTs `total` bytes to `url` on a raw socket, 64 KiB at a time, each write after the last one
 * drained, and stops writing once an answer arrives. Returns the status line and how much was sent.
 */
async function upload(url: string, total: number): Promise<{ status: string; sent: number }> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  let answer = '';
  const answered = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) resolve();
    });
    socket.on('close', () => resolve());
  });
  socket.on('error', () => undefined); // the server may close while we still write: that is the point
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(`POST ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Length: ${total}\r\n\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  let done = false;
  void answered.then(() => (done = true));
  while (sent < total && !done && !socket.destroyed) {
    const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
    sent += part.length;
    if (!socket.write(part)) {
      await Promise.race([new Promise((r) => socket.once('drain', r)), answered]);
    }
  }
  await answered;
  socket.destroy();
  return { status: answer.split('\r\n')[0] ?? '', sent };
}

describe('ping endpoint (Healthchecks-compatible)', () => {
  const clock = new ManualClock(new Date('2026-06-01T00:00:00Z'));
  let hive: TestHive;
  let alice: { id: string; token: string };
  let repo: { id: string; pingUrl: string };

  before(async () => {
    hive = await startAlertHive(clock);
    alice = await hive.newUser('alice');
    repo = await createRepository(hive, alice.token, 'laptop', 1);
  });
  after(() => hive?.dispose());

  const lastBackup = async () =>
    (
      await hive.gql<{ repository: { lastBackupAt: string | null; isStale: boolean } }>(
        alice.token,
        'query($id:ID!){repository(id:$id){lastBackupAt isStale}}',
        { id: repo.id },
      )
    ).data?.repository;

  it('start, success with a log, HEAD, exit status and log answer 200 OK and record events', async () => {
    const start = await fetch(`${repo.pingUrl}/start`);
    assert.deepEqual(
      [start.status, await start.text(), start.headers.get('ping-body-limit')],
      [200, 'OK', '100000'],
    );
    const ok = await fetch(repo.pingUrl, {
      method: 'POST',
      body: 'Creating archive\nTerminating with success status, rc 0\n',
    });
    assert.deepEqual([ok.status, await ok.text()], [200, 'OK']);
    const head = await fetch(`${repo.pingUrl}/0`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    const failed = await fetch(`${repo.pingUrl}/2`, { method: 'POST', body: 'Repository does not exist' });
    assert.equal(failed.status, 200);
    assert.equal((await fetch(`${repo.pingUrl}/fail`)).status, 200);
    assert.equal((await fetch(`${repo.pingUrl}/log`, { method: 'POST', body: 'just a note' })).status, 200);
    const events = (await eventsOf(hive, alice.token, repo.id))
      .reverse()
      .filter((e) => e.type.startsWith('BACKUP_'));
    assert.deepEqual(
      events.map((e) => [e.type, e.message, e.log]),
      [
        ['BACKUP_STARTED', 'backup started, reported through the ping URL', null],
        [
          'BACKUP_SUCCEEDED',
          'backup succeeded, reported through the ping URL',
          'Creating archive\nTerminating with success status, rc 0\n',
        ],
        ['BACKUP_SUCCEEDED', 'backup succeeded (exit status 0), reported through the ping URL', null],
        [
          'BACKUP_FAILED',
          'backup failed (exit status 2), reported through the ping URL',
          'Repository does not exist',
        ],
        ['BACKUP_FAILED', 'backup failed, reported through the ping URL', null],
        ['BACKUP_LOG', 'backup sent a log, reported through the ping URL', 'just a note'],
      ],
    );
    assert.equal((await lastBackup())?.lastBackupAt, clock.now().toISOString());
  });

  it('keeps the first and last parts of a body over 100 kB and says so', async () => {
    const body = `FIRST LINE\n${'x'.repeat(300_000)}\nLAST LINE`;
    assert.equal((await fetch(`${repo.pingUrl}/log`, { method: 'POST', body })).status, 200);
    const [event] = await eventsOf(hive, alice.token, repo.id);
    assert.equal(event?.type, 'BACKUP_LOG');
    assert.match(event?.message ?? '', /log of 300021 bytes: first and last parts kept/);
    assert.ok(event?.log?.startsWith('FIRST LINE\n') && event.log.endsWith('\nLAST LINE'));
    assert.match(event?.log ?? '', /bytes omitted by Borg Hive/);
    assert.ok(Buffer.byteLength(event?.log ?? '') <= 100_000);
  });

  it('answers 404 for an unknown uuid and 400 for a malformed URL, 405 for other methods', async () => {
    const base = new URL(repo.pingUrl).origin;
    const unknown = await fetch(`${base}/ping/${randomUUID()}`);
    assert.deepEqual([unknown.status, await unknown.text()], [404, 'not found']);
    for (const path of [
      'not-a-uuid',
      `${randomUUID()}x`,
      `${new URL(repo.pingUrl).pathname.slice(6)}/finish`,
      `${new URL(repo.pingUrl).pathname.slice(6)}/256`,
    ]) {
      const res = await fetch(`${base}/ping/${path}`);
      assert.deepEqual([res.status, await res.text()], [400, 'invalid url format'], path);
    }
    assert.equal((await fetch(repo.pingUrl, { method: 'PUT' })).status, 405);
  });

  it('answers an unknown uuid with a 10 MiB body 404 without reading the body', async () => {
    const total = 10 * 1024 * 1024;
    const { status, sent } = await upload(`${new URL(repo.pingUrl).origin}/ping/${randomUUID()}/log`, total);
    assert.equal(status, 'HTTP/1.1 404 Not Found');
    assert.ok(sent < total, `the answer came before the upload completed (${sent} of ${total} bytes sent)`);
  });

  it('refuses a body announced over 10 MiB with 413 before reading it, and records nothing', async () => {
    const before = (await eventsOf(hive, alice.token, repo.id)).length;
    const total = 10 * 1024 * 1024 + 1;
    const { status, sent } = await upload(`${repo.pingUrl}/log`, total);
    assert.equal(status, 'HTTP/1.1 413 Payload Too Large');
    assert.ok(sent < total, `${sent} of ${total} bytes sent`);
    assert.equal((await eventsOf(hive, alice.token, repo.id)).length, before);
  });

  it('a success counts as a backup: it clears staleness and answers an alert at once', async () => {
    clock.advance(2 * DAY);
    assert.equal((await lastBackup())?.isStale, true);
    assert.equal((await hive.services.alerts.check(emOf(hive))).alerts, 1);
    clock.advance(60_000);
    assert.equal((await fetch(repo.pingUrl, { method: 'POST' })).status, 200);
    assert.equal((await lastBackup())?.isStale, false);
    const types = (await eventsOf(hive, alice.token, repo.id)).map((e) => e.type);
    assert.deepEqual(types.slice(0, 3), ['RECOVERED', 'BACKUP_SUCCEEDED', 'ALERT']);
  });

  it('limits pings per uuid to 20 a minute (429), other uuids unaffected', async () => {
    const busy = await createRepository(hive, alice.token, 'busy', null);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1)
      statuses.push((await fetch(`${busy.pingUrl}/log`, { method: 'POST', body: `${i}` })).status);
    assert.deepEqual(statuses.slice(0, 20), Array(20).fill(200));
    assert.equal(statuses[20], 429);
    assert.equal((await fetch(`${repo.pingUrl}/log`)).status, 200);
    assert.equal(
      (await eventsOf(hive, alice.token, busy.id)).filter((e) => e.type === 'BACKUP_LOG').length,
      20,
    );
  });
});
