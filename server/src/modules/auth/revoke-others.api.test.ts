import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { eventually } from '../../test-support/eventually.js';
import { connectWs } from '../../test-support/ws-client.js';

describe('revokeOtherSessions', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive();
  });
  after(() => hive.dispose());

  it('ends every other session of the caller (and closes their sockets), keeps this one and other users', async () => {
    const me = await hive.newUser('rita');
    const other = await hive.login('rita', 'rita-password');
    const third = await hive.login('rita', 'rita-password');
    const socket = await connectWs(hive.url, other);
    const r = await hive.gql<{ revokeOtherSessions: number }>(me.token, 'mutation{revokeOtherSessions}');
    assert.equal(r.data?.revokeOtherSessions, 2);
    for (const t of [other, third]) {
      assert.equal((await hive.gql(t, '{me{id}}')).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    }
    assert.ok((await hive.gql(me.token, '{me{id}}')).data?.me);
    assert.ok((await hive.gql(hive.adminToken, '{me{id}}')).data?.me, "another user's session stays");
    const sessions = await hive.gql<{ sessions: { current: boolean }[] }>(me.token, '{sessions{current}}');
    assert.deepEqual(sessions.data?.sessions, [{ current: true }]);
    await eventually("the revoked session's socket to close", async () => socket.closed());
    await socket.dispose();
  });
});
