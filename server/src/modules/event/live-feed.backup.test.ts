import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { createGroup, createRepo } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { openSocket, type LiveSocket, type Subscription } from '../../test-support/subscription.js';
import { Repository } from '../repository/index.js';

type Changed = { repositoryChanged: { id: string; isOpen: boolean } };
const CHANGED = 'subscription { repositoryChanged { id isOpen } }';
const idOf = (m: Changed) => m.repositoryChanged.id;

// a burst is one message however slowly this machine ingests it: the debounce outlasts any pause
const LIVE_TIMING = { debounceMs: 1500, maxWaitMs: 10_000 };

for (const dialect of dialects) {
  describe(`a backup seen live on ${dialect}`, () => {
    let hive: TestHive;
    const sockets: LiveSocket[] = [];
    before(async () => {
      hive = await startTestHive({ dialect, overrides: { jobs: false, liveTiming: LIVE_TIMING } });
    });
    after(async () => {
      await Promise.all(sockets.map((s) => s.close()));
      await hive?.dispose();
    });

    it('sends each subscriber of its audience one repositoryChanged for OPENED, UPDATED and CLOSED', async () => {
      const alice = await hive.newUser('alice');
      const carol = await hive.newUser('carol');
      const bob = await hive.newUser('bob');
      const group = await createGroup(hive, `team-${dialect}`, [alice.id, carol.id]);
      const backedUp = await createRepo(hive, alice.token, { name: 'laptop', groupIds: [group] });
      const other = await createRepo(hive, alice.token, { name: 'desktop', groupIds: [group] });
      const listen = async (token: string): Promise<Subscription<Changed>> => {
        const socket = await openSocket(hive.url, token);
        sockets.push(socket);
        return socket.subscribe<Changed>(CHANGED);
      };
      const audience = {
        admin: await listen(hive.adminToken),
        owner: await listen(alice.token),
        member: await listen(carol.token),
      };
      const stranger = await listen(bob.token);
      const em = hive.services.orm.em.fork() as Em;
      const changeOf = async (id: string) =>
        hive.services.events.changed(em, await em.findOneOrFail(Repository, { id: Number(id) }));
      // every subscription is live once it heard of a change (graphql-ws acknowledges none)
      await changeOf(other.id);
      await Promise.all(Object.values(audience).map((s) => s.waitFor((m) => idOf(m) === other.id)));

      const repo = await em.findOneOrFail(Repository, { id: Number(backedUp.id) });
      const at = Date.now();
      const session = ['OPENED', 'UPDATED', 'CLOSED'] as const;
      // as the monitor reports a borg create: one batch per finding, milliseconds apart
      for (const [i, type] of session.entries())
        await hive.services.reports.ingest(hive.services.orm.em.fork() as Em, [
          { repoUser: repo.repoUser, repoName: repo.name, type, at: new Date(at + i) },
        ]);
      await Promise.all(Object.values(audience).map((s) => s.waitFor((m) => idOf(m) === backedUp.id)));
      // a later change of another repository: anything more about the backup would have come before it
      await changeOf(other.id);
      const twice = (s: Subscription<Changed>) => s.received.filter((m) => idOf(m) === other.id).length >= 2;
      await Promise.all(Object.values(audience).map((s) => s.waitFor(() => twice(s))));
      for (const [who, sub] of Object.entries(audience)) {
        const burst = sub.received.filter((m) => idOf(m) === backedUp.id);
        assert.deepEqual(
          burst.map((m) => m.repositoryChanged.isOpen),
          [false],
          `${who}: one message, with the state after the session`,
        );
      }
      // bob's subscription is live too: it hears of his own repository, and of nothing else
      const bobs = await createRepo(hive, bob.token, { name: 'bobs' });
      await stranger.waitFor((m) => idOf(m) === bobs.id);
      assert.deepEqual(
        stranger.received.map(idOf),
        [bobs.id],
        'bob hears of neither of alice’s repositories',
      );
    });
  });
}
