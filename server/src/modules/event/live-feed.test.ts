import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { WebSocket as WsClient } from 'ws';
import type { Em } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { eventually } from '../../test-support/eventually.js';
import { addKey, createGroup, createRepo } from '../../test-support/factories.js';
import { countStatements, recordStatements } from '../../test-support/statement-count.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { openSocket, type LiveSocket, type Subscription } from '../../test-support/subscription.js';
import { Repository, RepositoryEventType } from '../repository/index.js';
import { SshKey } from '../ssh-key/index.js';
import { Group } from '../user/index.js';

const CAPS = {
  BORGHIVE_WS_MAX_SUBSCRIPTIONS: '60',
  BORGHIVE_WS_MAX_SOCKETS_PER_USER: '5',
  BORGHIVE_WS_MAX_QUEUED: '50',
};

// every nested field a live repository can reach, as an admin asks for it
const CHANGED_DEEP = `subscription { repositoryChanged { id name isStale url pingUrl location { sshHost }
  owner { username email groups { name } } groups { name }
  sshKeys { name publicKey owner { username } groups { name } } appendOnlySshKeys { name }
  events(limit: 3) { type message log repository { name } } statistics(limit: 2) { usageBytes } } }`;

type Changed = { repositoryChanged: { id: string; name: string; quotaBytes?: number | null } };
type Removed = { repositoryRemoved: string };
type EventMsg = { repositoryEvents: Record<string, unknown> & { id: string } };

async function loadRepo(hive: TestHive, id: string): Promise<{ em: Em; repo: Repository }> {
  const em = hive.services.orm.em.fork() as Em;
  const repo = await em.findOneOrFail(Repository, { id: Number(id) }, { populate: ['groups'] });
  return { em, repo };
}

const idOf = (m: Changed) => m.repositoryChanged.id;

for (const dialect of dialects) {
  describe(`live subscriptions on ${dialect}`, () => {
    let hive: TestHive;
    let alice: { id: string; token: string };
    let bob: { id: string; token: string };
    let carol: { id: string; token: string };
    let group: string;
    let repoId: string;
    let keyId: string;
    const sockets: LiveSocket[] = [];
    const connect = async (token: string) => {
      const socket = await openSocket(hive.url, token);
      sockets.push(socket);
      return socket;
    };

    before(async () => {
      hive = await startTestHive({ dialect, env: CAPS, overrides: { jobs: false } });
      alice = await hive.newUser('alice');
      bob = await hive.newUser('bob');
      carol = await hive.newUser('carol');
      group = await createGroup(hive, `team-${dialect}`, [alice.id, carol.id]);
      const key = await addKey(hive, alice.token, 'laptop');
      keyId = key.id;
      const keys = hive.services.orm.em.fork();
      const shared = await keys.findOneOrFail(SshKey, { id: Number(key.id) }, { populate: ['groups'] });
      shared.groups.add(keys.getReference(Group, Number(group)));
      await keys.flush();
      const repo = await createRepo(hive, alice.token, {
        name: 'laptop',
        sshKeyIds: [key.id],
        groupIds: [group],
      });
      repoId = repo.id;
      const { em, repo: entity } = await loadRepo(hive, repoId);
      await hive.services.events.record(em, entity, RepositoryEventType.BACKUP_LOG, 'nightly', {
        log: 'log text',
      });
    });
    after(async () => {
      await Promise.all(sockets.map((s) => s.close()));
      await hive?.dispose();
    });

    it('resolves one change with the same statements for 1 and for 200 subscribers', async () => {
      const statements = countStatements(hive);
      const subs: Subscription<Changed>[] = [];
      // 200 subscriptions of three kinds of reader (admin, the owner, a group member) on 6 sockets
      const tokens = [hive.adminToken, alice.token, carol.token];
      const on = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => connect(tokens[i % 3]!)));
      const { em, repo } = await loadRepo(hive, repoId);
      const change = async (): Promise<number> => {
        const before = subs.map((s) => s.received.length);
        statements.reset();
        await hive.services.events.changed(em, repo);
        await Promise.all(subs.map((s, i) => s.waitFor(() => s.received.length > before[i]!)));
        return statements.count;
      };
      subs.push(await on[0]!.subscribe<Changed>(CHANGED_DEEP));
      const one = await change();
      const listening = hive.services.live.subscribers;
      for (let i = 1; i < 200; i++) subs.push(await on[i % 6]!.subscribe<Changed>(CHANGED_DEEP, {}, 0));
      // each subscribe is checked against the database first: wait until the hive has them all
      await eventually('199 more subscriptions registered', async () =>
        hive.services.live.subscribers >= listening + 199 ? true : undefined,
      );
      await change(); // every subscription is live once each has a message
      const many = await change();
      assert.ok(one > 0, 'the change is read from the database');
      assert.equal(many, one, `statements for one change: ${one} with 1 subscriber, ${many} with 200`);
      type Deep = {
        owner: { email: string | null; groups: { name: string }[] };
        sshKeys: { groups: { name: string }[] }[];
      };
      const member = subs[2]!.received.at(-1)!.repositoryChanged as unknown as Deep;
      assert.deepEqual(member.owner, { username: 'alice', email: null, groups: [] }, 'a member sees no more');
      const last = subs[199]!.received.at(-1)!.repositoryChanged as unknown as {
        owner: { email: string; groups: { name: string }[] };
        sshKeys: { groups: { name: string }[] }[];
        events: { log: string; repository: { name: string } }[];
      };
      assert.equal(last.owner.email, 'alice@example.test');
      assert.deepEqual(last.owner.groups, [{ name: `team-${dialect}` }]);
      assert.deepEqual(last.sshKeys[0]?.groups, [{ name: `team-${dialect}` }]);
      assert.deepEqual(
        last.events.map((e) => [e.log, e.repository.name]),
        [['log text', 'laptop']],
      );
      await Promise.all(subs.map((s) => s.close()));
      await Promise.all(on.map((s) => s.close()));
    });

    it('keeps no entity in a subscription’s EntityManager, however many messages it delivers', async () => {
      const orm = hive.services.orm;
      const forks: Em[] = [];
      const fork = orm.em.fork.bind(orm.em);
      orm.em.fork = ((...a: Parameters<typeof fork>) => {
        const em = fork(...a);
        forks.push(em as Em);
        return em;
      }) as typeof orm.em.fork;
      const socket = await connect(alice.token);
      let sub: Subscription<EventMsg>;
      try {
        sub = await socket.subscribe<EventMsg>(
          'subscription { repositoryEvents { id type message log repository { name owner { username } } } }',
        );
      } finally {
        orm.em.fork = fork;
      }
      assert.ok(forks.length > 0, 'the subscription’s context was built');
      const { em, repo } = await loadRepo(hive, repoId);
      const size = () => forks.map((f) => f.getUnitOfWork().getIdentityMap().values().length);
      const record = async (n: number) => {
        let last = '';
        for (let i = 0; i < n; i++)
          last = String(
            (await hive.services.events.record(em, repo, RepositoryEventType.UPDATED, `u${i}`)).id,
          );
        await sub.waitFor((m) => m.repositoryEvents.id === last);
      };
      await record(1);
      const afterOne = size();
      await record(20);
      assert.deepEqual(size(), afterOne, 'the EntityManagers of the subscription did not grow');
      assert.equal(sub.received.length, 21);
      await socket.close();
    });

    it('reads the repositories of the events published in one turn once, for all of them', async () => {
      const others = [];
      for (const name of ['desk', 'attic', 'cellar'])
        others.push(await createRepo(hive, alice.token, { name, sshKeyIds: [keyId], groupIds: [group] }));
      const socket = await connect(alice.token);
      const sub = await socket.subscribe<EventMsg>(
        'subscription { repositoryEvents { id repository { name } } }',
      );
      const loaded = await Promise.all([repoId, ...others.map((o) => o.id)].map((id) => loadRepo(hive, id)));
      // the subscription is live once it has a message
      await hive.services.events.record(loaded[0]!.em, loaded[0]!.repo, RepositoryEventType.UPDATED, 'warm');
      await sub.waitFor(() => sub.received.length === 1);
      const events: ReturnType<typeof hive.services.events.prepare>[] = [];
      for (const { em, repo } of loaded) {
        events.push(
          hive.services.events.prepare(em, repo, RepositoryEventType.UPDATED, `burst ${repo.name}`),
        );
        await em.flush();
      }
      const statements = recordStatements(hive);
      try {
        // as the ingest publishes a batch: one after the other, in one turn of the event loop
        await Promise.all(loaded.map(({ repo }, i) => hive.services.events.published(repo, events[i]!)));
        await sub.waitFor(() => sub.received.length === 5);
      } finally {
        statements.stop();
      }
      assert.deepEqual(
        sub.received.slice(1).map((m) => (m.repositoryEvents.repository as { name: string }).name),
        ['laptop', 'desk', 'attic', 'cellar'],
      );
      const viewReads = statements.texts.filter((t) =>
        /^select r\.\* from repositories r where r\.id in/.test(t),
      );
      assert.equal(viewReads.length, 1, `one read of the four repositories: ${viewReads.join(' | ')}`);
      await socket.close();
    });

    it('refuses a subscription over the cap of one socket with a clear error', async () => {
      const socket = await connect(bob.token);
      const subs: Subscription<Changed>[] = [];
      for (let i = 0; i < 60; i++)
        subs.push(await socket.subscribe<Changed>('subscription{repositoryChanged{id}}', {}, 0));
      const refused = await socket.subscribe<Changed>('subscription{repositoryChanged{id}}', {}, 0);
      const errors = await refused.failed;
      assert.equal(errors[0]?.extensions?.code, 'FORBIDDEN');
      assert.match(errors[0]?.message ?? '', /at most 60 on one connection/);
      await subs[0]!.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await socket.subscribe<Changed>('subscription{repositoryChanged{id}}');
      assert.equal(
        await Promise.race([again.failed, Promise.resolve('accepted')]),
        'accepted',
        'room again after one ended',
      );
      await socket.close();
    });

    it('refuses a socket over the cap of one user, and only that user’s', async () => {
      const carols: LiveSocket[] = [];
      for (let i = 0; i < 5; i++) carols.push(await openSocket(hive.url, carol.token));
      await assert.rejects(
        openSocket(hive.url, carol.token),
        /closed 4429: too many connections: at most 5 per user/,
      );
      const others = await openSocket(hive.url, bob.token);
      await others.close();
      await carols[0]!.close();
      // room again once the hive has seen that socket close
      carols.push(
        await eventually('room for another of carol’s sockets', () =>
          openSocket(hive.url, carol.token).catch(() => undefined),
        ),
      );
      await Promise.all(carols.slice(1).map((s) => s.close()));
    });

    it('closes a socket that does not read with 4008, and the others get every message', async () => {
      const fields = Array.from({ length: 20 }, (_, i) => `m${i}: message`).join(' ');
      const query = `subscription { repositoryEvents { id ${fields} } }`;
      const healthy = await (await connect(alice.token)).subscribe<EventMsg>(query);
      const slow = new WsClient(`${hive.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
      await once(slow, 'open');
      slow.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${alice.token}` } }),
      );
      await once(slow, 'message');
      slow.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        slow.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
      slow.pause(); // reads nothing more: the kernel buffers fill, then the hive's queue
      const { repo } = await loadRepo(hive, repoId);
      const audience = { repositoryId: repo.id, ownerId: repo.owner.id, groupIds: [Number(group)] };
      const listening = hive.services.live.subscribers;
      let published = 0;
      // ~10 kB a message: a few thousand fill any loopback buffer; stop once the hive gave up on it
      while (published < 5000 && hive.services.live.subscribers === listening) {
        for (let i = 0; i < 20; i++) {
          published++;
          await hive.services.bus.publish('repositoryEvent', {
            ...audience,
            event: {
              id: 1_000_000 + published,
              type: RepositoryEventType.BACKUP_LOG,
              message: 'x'.repeat(500),
              createdAt: new Date().toISOString(),
            },
          });
        }
        await healthy.waitFor(() => healthy.received.length >= published);
      }
      slow.resume();
      assert.deepEqual(await closed, {
        code: 4008,
        reason: 'too slow: more than 50 messages waited to be sent',
      });
      assert.equal(healthy.received.length, published, 'the reading socket got every message');
      assert.ok(published < 5000, `the slow socket was closed after ${published} messages`);
      await healthy.close();
    });

    it('sends one repositoryChanged for a burst of changes to one repository, with the last state', async () => {
      const socket = await connect(alice.token);
      const sub = await socket.subscribe<Changed>(
        'subscription { repositoryChanged { id name quotaBytes } }',
      );
      const other = await createRepo(hive, alice.token, { name: `burst-other` });
      await sub.waitFor((m) => idOf(m) === other.id);
      const { em, repo } = await loadRepo(hive, repoId);
      for (let quota = 1; quota <= 10; quota++) {
        repo.quotaBytes = quota * 1024;
        await em.flush();
        await hive.services.events.changed(em, repo);
      }
      await sub.waitFor((m) => idOf(m) === repoId);
      // a later change of another repository: anything more about the first would have come before it
      const { em: em2, repo: repo2 } = await loadRepo(hive, other.id);
      await hive.services.events.changed(em2, repo2);
      await sub.waitFor((m) => idOf(m) === other.id && sub.received.indexOf(m) > 0);
      const burst = sub.received.filter((m) => idOf(m) === repoId);
      assert.equal(burst.length, 1, 'one message for the burst');
      assert.equal(burst[0]?.repositoryChanged.quotaBytes, 10 * 1024, 'the latest state');
      await socket.close();
    });

    it('tells only the repository’s audience (owner, group, admin) that it was added or removed', async () => {
      const listen = async (token: string) => {
        const socket = await connect(token);
        return {
          changed: await socket.subscribe<Changed>('subscription { repositoryChanged { id name } }'),
          removed: await socket.subscribe<Removed>('subscription { repositoryRemoved }'),
        };
      };
      const [a, b, c] = [await listen(alice.token), await listen(bob.token), await listen(carol.token)];
      const admin = await listen(hive.adminToken);
      const shared = await createRepo(hive, alice.token, { name: 'shared-x', groupIds: [group] });
      await a.changed.waitFor((m) => idOf(m) === shared.id);
      await c.changed.waitFor((m) => idOf(m) === shared.id);
      const gone = await hive.gql(alice.token, 'mutation($id:ID!){deleteRepository(id:$id)}', {
        id: shared.id,
      });
      assert.deepEqual(gone.data, { deleteRepository: true });
      await a.removed.waitFor((m) => m.repositoryRemoved === shared.id);
      await c.removed.waitFor((m) => m.repositoryRemoved === shared.id);
      await admin.removed.waitFor((m) => m.repositoryRemoved === shared.id);
      const bobs = await createRepo(hive, bob.token, { name: 'bobs-y' });
      await b.changed.waitFor((m) => idOf(m) === bobs.id);
      await hive.gql(bob.token, 'mutation($id:ID!){deleteRepository(id:$id)}', { id: bobs.id });
      await b.removed.waitFor((m) => m.repositoryRemoved === bobs.id);
      await admin.removed.waitFor((m) => m.repositoryRemoved === bobs.id);
      assert.ok(
        admin.changed.received.some((m) => idOf(m) === shared.id),
        'the admin heard of both',
      );
      assert.ok(admin.changed.received.some((m) => idOf(m) === bobs.id));
      const sentinel = await createRepo(hive, alice.token, { name: 'sentinel-z', groupIds: [group] });
      await a.changed.waitFor((m) => idOf(m) === sentinel.id);
      await c.changed.waitFor((m) => idOf(m) === sentinel.id);
      assert.deepEqual(b.changed.received.map(idOf), [bobs.id], 'bob hears only of his repository');
      assert.deepEqual(b.removed.received, [{ repositoryRemoved: bobs.id }]);
      for (const them of [a, c]) {
        assert.ok(!them.changed.received.some((m) => idOf(m) === bobs.id), 'nothing of bob’s repository');
        assert.deepEqual(them.removed.received, [{ repositoryRemoved: shared.id }]);
      }
    });
  });
}
