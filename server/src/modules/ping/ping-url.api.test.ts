import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../test-support/databases.js';
import { codeOf, createToken } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

const ROTATE = 'mutation($id:ID!){rotatePingUrl(id:$id){id pingUrl events{type message}}}';

type Rotated = {
  rotatePingUrl: { id: string; pingUrl: string; events: { type: string; message: string }[] };
};

for (const dialect of dialects) {
  describe(`rotatePingUrl on ${dialect}`, () => {
    let hive: TestHive;
    let alice: { id: string; token: string };
    let bob: { id: string; token: string };
    let repo: { id: string; pingUrl: string };

    before(async () => {
      hive = await startTestHive({ dialect });
      alice = await hive.newUser('alice');
      bob = await hive.newUser('bob');
      const r = await hive.gql<{ createRepository: { id: string; pingUrl: string } }>(
        alice.token,
        'mutation{createRepository(input:{name:"laptop"}){id pingUrl}}',
      );
      repo = r.data!.createRepository;
    });
    after(() => hive?.dispose());

    it('only whoever may update the repository may rotate its ping URL', async () => {
      assert.equal(codeOf(await hive.gql(bob.token, ROTATE, { id: repo.id })), 'NOT_FOUND');
      const readOnly = await createToken(hive, alice.token, 'READ_ONLY');
      assert.equal(codeOf(await hive.gql(readOnly, ROTATE, { id: repo.id })), 'FORBIDDEN');
      assert.equal(codeOf(await hive.gql(null, ROTATE, { id: repo.id })), 'UNAUTHENTICATED');
      assert.equal((await fetch(`${repo.pingUrl}/start`)).status, 200, 'the URL still works');
    });

    it('gives a new ping URL; the old one answers 404 at once; the rotation is an event', async () => {
      const r = await hive.gql<Rotated>(alice.token, ROTATE, { id: repo.id });
      assert.equal(r.errors, undefined);
      const rotated = r.data!.rotatePingUrl;
      assert.notEqual(rotated.pingUrl, repo.pingUrl);
      assert.match(rotated.pingUrl, /\/ping\/[0-9a-f-]{36}$/);
      const old = await fetch(repo.pingUrl, { method: 'POST', body: 'leaked' });
      assert.deepEqual([old.status, await old.text()], [404, 'not found']);
      assert.equal((await fetch(rotated.pingUrl)).status, 200);
      const events = (
        await hive.gql<Rotated & { repository: Rotated['rotatePingUrl'] }>(
          alice.token,
          'query($id:ID!){repository(id:$id){events{type message}}}',
          { id: repo.id },
        )
      ).data!.repository.events;
      assert.deepEqual(
        events.map((e) => e.type),
        ['BACKUP_SUCCEEDED', 'PING_URL_ROTATED', 'BACKUP_STARTED'],
      );
      assert.match(events[1]!.message, /alice replaced the ping URL/);
      // an admin may too
      const again = await hive.gql<Rotated>(hive.adminToken, ROTATE, { id: repo.id });
      assert.notEqual(again.data?.rotatePingUrl.pingUrl, rotated.pingUrl);
      assert.equal((await fetch(rotated.pingUrl)).status, 404);
    });
  });
}
