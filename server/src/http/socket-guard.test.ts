import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../db/orm.js';
import { ApiToken } from '../modules/auth/api-token.entity.js';
import { sha256Hex } from '../security/secrets.js';
import { Session } from '../modules/auth/session.entity.js';
import { RepositoryEventType } from '../modules/repository/repository-event-type.js';
import { Repository } from '../modules/repository/repository.entity.js';
import { User } from '../modules/user/user.entity.js';
import { dialects } from '../test-support/databases.js';
import { eventually } from '../test-support/eventually.js';
import { codeOf, createRepo } from '../test-support/factories.js';
import { startTestHive, type TestHive } from '../test-support/hive.js';
import { connectWs, type WsConnection } from '../test-support/ws-client.js';

type EventMessage = { repositoryEvents: { id: string; message: string } };
const EVENTS = 'subscription{repositoryEvents{id message}}';
const STEAL = 'mutation{createApiToken(name:"stolen",scope:FULL){token}}';

function closedWith(conn: WsConnection, code: number, reason: string) {
  return eventually(`the socket to close with ${code}`, async () => {
    const c = conn.closed();
    if (!c) return undefined;
    assert.deepEqual(c, { code, reason });
    return c;
  });
}

async function tokenCount(hive: TestHive, name: string): Promise<number> {
  return hive.services.orm.em.fork().count(ApiToken, { name });
}

/** Records events on the repository until `received` has one (graphql-ws does not acknowledge a subscribe). */
async function deliveredTo(hive: TestHive, repositoryId: number, received: { data?: unknown }[]) {
  const em = hive.services.orm.em.fork() as Em;
  const repo = await em.findOneOrFail(Repository, { id: repositoryId });
  return eventually('an event to arrive', async () => {
    await hive.services.events.record(em, repo, RepositoryEventType.UPDATED, 'before');
    await new Promise((r) => setTimeout(r, 100));
    return received.length > 0 ? true : undefined;
  });
}

for (const dialect of dialects) {
  describe(`open WebSockets follow their credential on ${dialect}`, () => {
    // the periodic re-check is an hour away: what closes these sockets is the event bus or the per-operation check
    let hive: TestHive;
    const open: WsConnection[] = [];
    const ws = async (token: string) => {
      const conn = await connectWs(hive.url, token);
      open.push(conn);
      return conn;
    };
    before(async () => {
      hive = await startTestHive({ dialect, env: { BORGHIVE_WS_RECHECK_SECONDS: '3600' } });
    });
    after(async () => {
      for (const c of open) await c.dispose();
      await hive.dispose();
    });

    it('after logout the old socket is closed, runs no mutation and receives no events', async () => {
      await hive.newUser('dave');
      const session = await hive.login('dave', 'dave-password');
      const repo = await createRepo(hive, session, { name: 'daves' });
      const conn = await ws(session);
      const received = conn.listen<EventMessage>(EVENTS);
      await deliveredTo(hive, Number(repo.id), received);
      const admin = await ws(hive.adminToken);
      const adminReceived = admin.listen<EventMessage>(EVENTS);
      await deliveredTo(hive, Number(repo.id), adminReceived);

      assert.deepEqual((await hive.gql(session, 'mutation{logout}')).data, { logout: true });
      await closedWith(conn, 4401, 'credential revoked');
      const stolen = await conn.execute(STEAL);
      assert.ok(stolen instanceof Error, JSON.stringify(stolen));
      assert.equal(await tokenCount(hive, 'stolen'), 0);

      const before = received.length;
      const em = hive.services.orm.em.fork() as Em;
      const event = await hive.services.events.record(
        em,
        await em.findOneOrFail(Repository, { id: Number(repo.id) }),
        RepositoryEventType.UPDATED,
        'after logout',
      );
      await eventually('the admin to see the event', async () =>
        adminReceived.some((m) => m.data?.repositoryEvents.id === String(event.id)) ? true : undefined,
      );
      assert.equal(received.length, before, 'nothing reached the logged-out socket');
    });

    it('checks the credential again for every operation (revoked where no bus message tells)', async () => {
      const { token: session } = await hive.newUser('erin');
      const conn = await ws(session);
      // as `borg-hive token revoke` or SQL would, in another process without Redis
      const em = hive.services.orm.em.fork();
      const revoked = await em.nativeUpdate(
        Session,
        { tokenHash: sha256Hex(session) },
        { revokedAt: new Date() },
      );
      assert.equal(revoked, 1);
      const stolen = await conn.execute(STEAL);
      assert.ok(
        stolen instanceof Error || stolen.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED',
        JSON.stringify(stolen),
      );
      assert.equal(await tokenCount(hive, 'stolen'), 0);
      await closedWith(conn, 4401, 'credential revoked');
    });

    it('closes the socket of a revoked API token', async () => {
      const { token: session } = await hive.newUser('fred');
      const made = await hive.gql<{ createApiToken: { token: string; apiToken: { id: string } } }>(
        session,
        'mutation{createApiToken(name:"fred-ro",scope:READ_ONLY){token apiToken{id}}}',
      );
      const created = made.data!.createApiToken;
      const conn = await ws(created.token);
      conn.listen(EVENTS);
      const revoked = await hive.gql(session, 'mutation($id:ID!){revokeApiToken(id:$id)}', {
        id: created.apiToken.id,
      });
      assert.deepEqual(revoked.data, { revokeApiToken: true });
      await closedWith(conn, 4401, 'credential revoked');
    });

    it('closes the socket of an API token when it expires', async () => {
      const { token: session } = await hive.newUser('gina');
      const expiresAt = new Date(Date.now() + 4_000).toISOString();
      const made = await hive.gql<{ createApiToken: { token: string } }>(
        session,
        'mutation($e:DateTimeISO){createApiToken(name:"gina-short",scope:FULL,expiresAt:$e){token}}',
        { e: expiresAt },
      );
      const conn = await ws(made.data!.createApiToken.token);
      conn.listen(EVENTS);
      await closedWith(conn, 4401, 'credential expired');
    });

    it('a password change ends every other session (sockets and HTTP) and keeps the current one', async () => {
      await hive.newUser('hank');
      const current = await hive.login('hank', 'hank-password');
      const other = await hive.login('hank', 'hank-password');
      const conn = await ws(other);
      conn.listen(EVENTS);
      const change = 'mutation($c:String!,$n:String!){changePassword(currentPassword:$c,newPassword:$n)}';
      const wrong = await hive.gql(current, change, { c: 'not-it-at-all', n: 'hank-password-2' });
      assert.equal(codeOf(wrong), 'BAD_USER_INPUT');
      assert.equal(
        codeOf(await hive.gql(current, change, { c: 'hank-password', n: 'short' })),
        'BAD_USER_INPUT',
      );
      assert.equal(conn.closed(), undefined, 'a refused change ends nothing');

      const ok = await hive.gql(current, change, { c: 'hank-password', n: 'hank-password-2' });
      assert.deepEqual(ok.data, { changePassword: true });
      await closedWith(conn, 4401, 'credential revoked');
      assert.equal(codeOf(await hive.gql(other, '{me{username}}')), 'UNAUTHENTICATED');
      assert.deepEqual((await hive.gql(current, '{me{username}}')).data, { me: { username: 'hank' } });
      await hive.login('hank', 'hank-password-2');
      await assert.rejects(hive.login('hank', 'hank-password'));
    });

    it('closes the sockets of a demoted admin and of a deleted user at their next operation', async () => {
      await hive.newUser('ivy', { isAdmin: true });
      const ivy = await hive.login('ivy', 'ivy-password');
      const ivyConn = await ws(ivy);
      await hive.newUser('jack');
      const jackConn = await ws(await hive.login('jack', 'jack-password'));
      const em = hive.services.orm.em.fork();
      await em.nativeUpdate(User, { username: 'ivy' }, { isAdmin: false });
      await em.nativeDelete(User, { username: 'jack' });
      const users = await ivyConn.execute('{users{username}}');
      assert.ok(users instanceof Error, `no admin answer after the demotion: ${JSON.stringify(users)}`);
      await closedWith(ivyConn, 4403, 'permissions changed');
      const me = await jackConn.execute('{me{username}}');
      assert.ok(me instanceof Error, `no answer for a deleted user: ${JSON.stringify(me)}`);
      await closedWith(jackConn, 4401, 'credential revoked');
    });

    it('lists your sessions without secrets, and revokeSession touches only your own', async () => {
      const { token: kate } = await hive.newUser('kate');
      const { token: liam } = await hive.newUser('liam');
      const kate2 = await hive.login('kate', 'kate-password');
      type S = { id: string; current: boolean; address: string | null; expiresAt: string; createdAt: string };
      const q = '{sessions{id createdAt lastUsedAt expiresAt address userAgent current}}';
      const listed = await hive.gql<{ sessions: S[] }>(kate, q);
      const sessions = listed.data!.sessions;
      assert.equal(sessions.length, 2);
      assert.deepEqual(
        sessions.map((s) => s.current),
        [false, true],
        'newest first; the caller sees which one is its own',
      );
      const text = JSON.stringify(listed);
      const rows = await hive.services.orm.em.fork().find(Session, { user: { username: 'kate' } });
      for (const secret of [kate, kate2, ...rows.map((r) => r.tokenHash)]) {
        assert.ok(!text.includes(secret.slice(4)), 'no token or hash in the list');
      }
      assert.match(sessions[0]!.address ?? '', /127\.0\.0\.1/);
      const fields = await hive.gql<{ __type: { fields: { name: string }[] } }>(
        kate,
        '{__type(name:"SessionInfo"){fields{name}}}',
      );
      assert.ok(fields.data!.__type.fields.every((f) => !/token|hash|secret/i.test(f.name)));

      const kate2Id = sessions.find((s) => !s.current)!.id;
      const revoke = 'mutation($id:ID!){revokeSession(id:$id)}';
      const kate2Conn = await ws(kate2);
      kate2Conn.listen(EVENTS);
      for (const outsider of [liam, hive.adminToken]) {
        assert.equal(codeOf(await hive.gql(outsider, revoke, { id: kate2Id })), 'NOT_FOUND');
      }
      assert.deepEqual((await hive.gql(kate2, '{me{username}}')).data, { me: { username: 'kate' } });
      assert.equal(kate2Conn.closed(), undefined);
      assert.deepEqual((await hive.gql(kate, revoke, { id: kate2Id })).data, { revokeSession: true });
      await closedWith(kate2Conn, 4401, 'credential revoked');
      assert.equal(codeOf(await hive.gql(kate2, '{me{username}}')), 'UNAUTHENTICATED');
      assert.equal(codeOf(await hive.gql(kate, revoke, { id: kate2Id })), 'NOT_FOUND');
      assert.equal((await hive.gql<{ sessions: S[] }>(kate, q)).data!.sessions.length, 1);
    });
  });

  describe(`the periodic re-check on ${dialect}`, () => {
    let hive: TestHive;
    const open: WsConnection[] = [];
    before(async () => {
      hive = await startTestHive({ dialect, env: { BORGHIVE_WS_RECHECK_SECONDS: '1' } });
    });
    after(async () => {
      for (const c of open) await c.dispose();
      await hive.dispose();
    });

    it('closes idle sockets of users deleted or demoted outside the API', async () => {
      await hive.newUser('mia', { isAdmin: true });
      await hive.newUser('ned');
      const mia = await connectWs(hive.url, await hive.login('mia', 'mia-password'));
      const ned = await connectWs(hive.url, await hive.login('ned', 'ned-password'));
      open.push(mia, ned);
      mia.listen(EVENTS);
      ned.listen(EVENTS);
      const em = hive.services.orm.em.fork();
      await em.nativeUpdate(User, { username: 'mia' }, { isAdmin: false });
      await em.nativeDelete(User, { username: 'ned' });
      await closedWith(mia, 4403, 'permissions changed');
      await closedWith(ned, 4401, 'credential revoked');
    });
  });
}
