import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import type { RepositoryChangedMessage } from '../../graphql/event-bus.js';
import { dialects } from '../../test-support/databases.js';
import { createGroup, createRepo } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { announceChanged } from './announce.js';

for (const dialect of dialects) {
  describe(`announceChanged on ${dialect}`, () => {
    let hive: TestHive;
    before(async () => {
      hive = await startTestHive({ dialect });
    });
    after(() => hive.dispose());

    it('publishes each existing repository once with its owner and groups as the audience', async () => {
      const alice = await hive.newUser('alice');
      const bob = await hive.newUser('bob');
      const team = await createGroup(hive, 'team', [alice.id, bob.id]);
      const crew = await createGroup(hive, 'crew', [alice.id]);
      const shared = await createRepo(hive, alice.token, { name: 'shared', groupIds: [team, crew] });
      const own = await createRepo(hive, bob.token, { name: 'own' });
      const source = hive.services.bus.subscribe('repositoryChanged');
      const got: RepositoryChangedMessage[] = [];
      const ids = [Number(shared.id), 999_999, Number(own.id)];
      // the bus's iterator listens from its first next()
      const first = source.next();
      await announceChanged(hive.services.orm.em.fork() as Em, hive.services.bus, ids);
      // the two existing repositories (the unknown id is skipped), in any order
      got.push((await first).value as RepositoryChangedMessage);
      got.push((await source.next()).value as RepositoryChangedMessage);
      await source.return?.();
      const byId = new Map(got.map((m) => [m.repositoryId, m]));
      assert.equal(byId.size, 2);
      assert.deepEqual(
        { ...byId.get(Number(shared.id))!, groupIds: [...byId.get(Number(shared.id))!.groupIds].sort() },
        {
          repositoryId: Number(shared.id),
          ownerId: Number(alice.id),
          groupIds: [Number(team), Number(crew)].sort(),
        },
      );
      assert.deepEqual(byId.get(Number(own.id)), {
        repositoryId: Number(own.id),
        ownerId: Number(bob.id),
        groupIds: [],
      });
    });
  });
}
