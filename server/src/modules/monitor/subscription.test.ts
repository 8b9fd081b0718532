import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { simulateInit, simulateRead, simulateWrite } from '../../adapters/watcher/simulate.js';
import { eventually } from '../../test-support/eventually.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { subscribe } from '../../test-support/subscription.js';
import { createRepository, fetchRepository, watchTypes } from './monitor-test-kit.js';

type Message = { repositoryEvents: { id: string; type: string; repository: { id: string; name: string } } };
const QUERY = 'subscription{repositoryEvents{id type repository{id name}}}';

let hive: TestHive;
before(async () => {
  hive = await startTestHive({ env: { BORGHIVE_WATCH: 'true' } });
});
after(() => hive?.dispose());

test('over graphql-ws a user hears about their repositories and never about another user’s', async (t) => {
  const alice = await hive.newUser('alice');
  const bob = await hive.newUser('bob');
  const mine = await createRepository(hive, alice.token, 'mine');
  const theirs = await createRepository(hive, bob.token, 'theirs');
  const root = hive.config.repoPath;

  const isMine = (m: Message): boolean => m.repositoryEvents.repository.id === mine.id;
  await simulateInit(root, mine.repoUser, mine.name);
  await eventually('alice’s repository initialized', async () =>
    watchTypes(await fetchRepository(hive, alice.token, mine.id)).includes('CLOSED') ? true : undefined,
  );
  const aliceSub = await subscribe<Message>(hive.url, alice.token, QUERY);
  t.after(() => aliceSub.close());
  const bobSub = await subscribe<Message>(hive.url, bob.token, QUERY);
  t.after(() => bobSub.close());
  // graphql-ws does not acknowledge a subscription: read alice's repository until she hears of it
  let heard = false;
  for (let attempt = 0; !heard && attempt < 20; attempt++) {
    await simulateRead(`${root}/${mine.repoUser}/${mine.name}`);
    heard = await aliceSub
      .waitFor((m) => isMine(m) && m.repositoryEvents.type === 'ACCESSED', 1000)
      .then(
        () => true,
        () => false,
      );
  }
  assert.ok(heard, 'alice’s subscription is live');

  // bob's repository is busy while alice listens; then alice's repository once more
  await simulateInit(root, theirs.repoUser, theirs.name);
  await simulateWrite(`${root}/${theirs.repoUser}/${theirs.name}`);
  await simulateRead(`${root}/${theirs.repoUser}/${theirs.name}`);
  await eventually('bob’s events recorded', async () => {
    const types = watchTypes(await fetchRepository(hive, bob.token, theirs.id));
    return types.includes('ACCESSED') ? types : undefined;
  });
  await simulateWrite(`${root}/${mine.repoUser}/${mine.name}`);
  await aliceSub.waitFor((m) => isMine(m) && m.repositoryEvents.type === 'CLOSED');
  await bobSub.waitFor((m) => m.repositoryEvents.type === 'ACCESSED');

  assert.ok(aliceSub.received.length >= 3, 'alice heard a read and a write session');
  assert.deepEqual(
    aliceSub.received.filter((m) => !isMine(m)),
    [],
    'alice never hears about bob’s repository',
  );
  assert.ok(bobSub.received.length >= 3);
  assert.deepEqual(bobSub.received.filter(isMine), [], 'bob never hears about alice’s repository');
  assert.ok(bobSub.received.every((m) => m.repositoryEvents.repository.name === 'theirs'));
});
