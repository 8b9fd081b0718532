import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHive, type TestHive } from '../test-support/hive.js';

describe('query depth and cost limits', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive();
  });
  after(() => hive.dispose());

  it('refuses operations nested too deep', async () => {
    const deep =
      '{ repositories { events { repository { events { repository { events { repository { events { repository { events { id } } } } } } } } } } }';
    const r = await hive.gql(hive.adminToken, deep);
    assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(r.errors?.[0]?.message ?? '', /nested \d+ levels deep; at most 10/);
  });

  it('refuses operations that would cost too much, counting limit arguments', async () => {
    const fields = Array.from(
      { length: 12 },
      (_, i) => `e${i}: events(limit: 500) { id type message createdAt }`,
    ).join(' ');
    const r = await hive.gql(hive.adminToken, `{ repositories { ${fields} } }`);
    assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(r.errors?.[0]?.message ?? '', /costs \d+; at most 3000/);
    const ok = await hive.gql(hive.adminToken, '{ repositories { events(limit: 50) { id } } }');
    assert.equal(ok.errors, undefined);
  });
});
