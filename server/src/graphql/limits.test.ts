import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codeOf, createRepo, createToken } from '../test-support/factories.js';
import { startTestHive, type TestHive } from '../test-support/hive.js';
import { RepositoryEvent } from '../modules/repository/repository-event.entity.js';
import { RepositoryEventType } from '../modules/repository/repository-event-type.js';
import { Repository } from '../modules/repository/repository.entity.js';

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
      (_, i) => `e${i}: events(limit: 500) { id type message log createdAt }`,
    ).join(' ');
    const r = await hive.gql(hive.adminToken, `{ repository(id: 1) { ${fields} } }`);
    assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(r.errors?.[0]?.message ?? '', /costs \d+; at most 5000000/);
    const ok = await hive.gql(hive.adminToken, '{ repositories { events(limit: 50) { id } } }');
    assert.equal(ok.errors, undefined);
  });

  it('counts a limit hidden in a variable default (a READ_ONLY token, the 86 s query)', async () => {
    await createRepo(hive, hive.adminToken, { name: 'only-one' });
    const readOnly = await createToken(hive, hive.adminToken, 'READ_ONLY');
    const aliases = ['a', 'b', 'c'].map((a) => `${a}: events(limit: $l) { message log }`).join(' ');
    const r = await hive.gql(readOnly, `query Logs($l: Int = 500) { repositories { ${aliases} } }`);
    assert.equal(codeOf(r), 'BAD_USER_INPUT', JSON.stringify(r));
    assert.match(r.errors?.[0]?.message ?? '', /costs \d+; at most/);
    // what it is costed as when sent explicitly, and a harmless default still runs
    const sent = await hive.gql(readOnly, `query Logs($l: Int) { repositories { ${aliases} } }`, { l: 500 });
    assert.equal(codeOf(sent), 'BAD_USER_INPUT');
    const small = await hive.gql(readOnly, `query Logs($l: Int = 5) { repositories { ${aliases} } }`);
    assert.equal(small.errors, undefined, JSON.stringify(small.errors));
  });

  it("costs a root list by the caller's real count: many logs are refused once there are many repositories", async () => {
    const owner = await hive.newUser('logreader');
    await createRepo(hive, owner.token, { name: 'logs-1' });
    const query = '{ repositories { name events(limit: 500) { log } } }';
    const one = await hive.gql(owner.token, query);
    assert.equal(one.errors, undefined, JSON.stringify(one.errors));
    await createRepo(hive, owner.token, { name: 'logs-2' });
    const two = await hive.gql(owner.token, query);
    assert.equal(codeOf(two), 'BAD_USER_INPUT', JSON.stringify(two));
    assert.match(two.errors?.[0]?.message ?? '', /costs \d+; at most 5000000/);
    assert.equal(two.data, null, 'no repository is answered');
  });

  it('clamps a limit of 1e9 to 500 items in the resolver', async () => {
    const repo = await createRepo(hive, hive.adminToken, { name: 'many-events' });
    const em = hive.services.orm.em.fork();
    const ref = em.getReference(Repository, Number(repo.id));
    for (let i = 0; i < 510; i++)
      em.create(RepositoryEvent, { repository: ref, type: RepositoryEventType.UPDATED, message: `e${i}` });
    await em.flush();
    const r = await hive.gql<{ repository: { events: unknown[] } }>(
      hive.adminToken,
      'query($id: ID!) { repository(id: $id) { events(limit: 1000000000) { id } } }',
      { id: repo.id },
    );
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.equal(r.data?.repository.events.length, 500);
  });
});

describe('the response size cap', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive({ env: { BORGHIVE_MAX_RESPONSE_BYTES: '4096' } });
  });
  after(() => hive.dispose());

  it('answers RESPONSE_TOO_LARGE instead of an answer over BORGHIVE_MAX_RESPONSE_BYTES', async () => {
    const res = await fetch(`${hive.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hive.adminToken}` },
      body: JSON.stringify({
        query: '{ __schema { types { name description fields { name description } } } }',
      }),
    });
    const text = await res.text();
    assert.ok(text.length <= 4096, `${text.length} bytes`);
    const body = JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] };
    assert.equal(body.errors?.[0]?.extensions?.code, 'RESPONSE_TOO_LARGE');
    assert.match(body.errors?.[0]?.message ?? '', /at most 4096 \(BORGHIVE_MAX_RESPONSE_BYTES\)/);
    const small = await hive.gql(hive.adminToken, '{ me { username } }');
    assert.deepEqual(small.data, { me: { username: 'admin' } });
  });
});
