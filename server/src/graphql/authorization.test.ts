import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isNonNullType } from 'graphql';
import { createClient } from 'graphql-ws';
import { addKey, createGroup, createRepo, createToken } from '../test-support/factories.js';
import { startTestHive, type TestHive } from '../test-support/hive.js';
import { operationFor } from '../test-support/operation-builder.js';
import { RepositoryEventType } from '../modules/repository/repository-event-type.js';
import { Repository } from '../modules/repository/repository.entity.js';
import { getSchema } from './schema.js';

/** Operations open to anyone by design, with the reason. Everything else is probed. */
const PUBLIC: Record<string, string> = {
  login: 'the unauthenticated entry point',
  passkeySignInOptions: 'a password-less sign-in starts before anyone is known',
  loginWithPasskey: 'the password-less entry point',
};
const DENIED = new Set(['FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT']);
const MARKER = /secreta/i;

/**
 * Generated from the schema: every query, mutation and subscription is called by a user who neither
 * owns the victim's objects nor shares a group with her, with every ID argument set to each of her ids.
 * Each call must be refused or answer without any of her data, and her objects must stay unchanged.
 */
describe('authorization of every operation', () => {
  let hive: TestHive;
  let mallory: { id: string; token: string };
  let victimIds: string[];
  let victimRepoId: string;
  let victimToken: string;
  let snapshot: string;

  const victimView = async () =>
    JSON.stringify(
      (
        await hive.gql(
          hive.adminToken,
          '{repositories{id name alertAfterDays quotaBytes mode sshKeys{id} groups{id}} sshKeys{id name} notificationChannels{id name enabled} users{id username}}',
        )
      ).data,
    );

  before(async () => {
    hive = await startTestHive();
    const victim = await hive.newUser('secreta');
    victimToken = victim.token;
    mallory = await hive.newUser('mallory');
    const group = await createGroup(hive, 'secreta-team', [victim.id]);
    const key = await addKey(hive, victim.token, 'secreta-key');
    const repo = await createRepo(hive, victim.token, {
      name: 'secreta-repo',
      sshKeyIds: [key.id],
      groupIds: [group],
      alertAfterDays: 1,
    });
    victimRepoId = repo.id;
    const channel = await hive.gql<{ createNotificationChannel: { id: string } }>(
      victim.token,
      'mutation{createNotificationChannel(input:{name:"secreta-channel",kind:WEBHOOK,settings:{url:"http://127.0.0.1:9/secreta"}}){id}}',
    );
    await createToken(hive, victim.token, 'FULL', 'secreta-token');
    const tokens = await hive.gql<{ apiTokens: { id: string }[] }>(victim.token, '{apiTokens{id}}');
    victimIds = [
      ...new Set([
        repo.id,
        key.id,
        group,
        victim.id,
        channel.data?.createNotificationChannel.id ?? '0',
        ...(tokens.data?.apiTokens.map((t) => t.id) ?? []),
      ]),
    ];
    snapshot = await victimView();
  });
  after(() => hive.dispose());

  it('queries and mutations refuse or reveal nothing', async () => {
    const schema = await getSchema();
    const probed: string[] = [];
    for (const [kind, type] of [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
    ] as const) {
      for (const field of Object.values(type?.getFields() ?? {})) {
        if (PUBLIC[field.name]) continue;
        probed.push(field.name);
        const hasId = JSON.stringify(field.args.map((a) => a.type.toString())).includes('ID');
        // also with every optional argument left out: a generated cursor or filter text could be refused
        // before the data is reached (repositoryPage's `after`), which would make the probe vacuous
        const optional = field.args.filter((a) => !isNonNullType(a.type)).map((a) => a.name);
        for (const [id, bare] of (hasId ? victimIds : ['1']).flatMap((i) =>
          optional.length ? [[i, false] as const, [i, true] as const] : [[i, false] as const],
        )) {
          const { query, variables: all } = operationFor(kind, field, { id, text: 'probe-value' });
          const variables = bare ? { ...all, ...Object.fromEntries(optional.map((n) => [n, null])) } : all;
          const r = await hive.gql(mallory.token, query, variables);
          const code = r.errors?.[0]?.extensions?.code;
          const body = JSON.stringify(r.data ?? null);
          assert.ok(
            (code !== undefined && DENIED.has(code)) || !MARKER.test(body),
            `${field.name}(${id}) leaked: ${body.slice(0, 300)} ${JSON.stringify(r.errors)}`,
          );
          assert.notEqual(code, 'INTERNAL_SERVER_ERROR', `${field.name}(${id}): ${JSON.stringify(r.errors)}`);
        }
      }
    }
    assert.ok(probed.length >= 20, `probed ${probed.length} operations`);
    assert.equal(await victimView(), snapshot, "the victim's objects are unchanged");
  });

  it('subscriptions deliver nothing of hers', async () => {
    const schema = await getSchema();
    const fields = Object.values(schema.getSubscriptionType()?.getFields() ?? {});
    assert.ok(fields.length >= 2);
    const token = await hive.login('mallory', 'mallory-password'); // the probes above included logout
    const client = createClient({
      url: hive.url.replace(/^http/, 'ws') + '/graphql',
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      retryAttempts: 0,
    });
    const received: string[] = [];
    const errors: string[] = [];
    const disposers: (() => void)[] = [];
    for (const field of fields) {
      for (const id of field.args.length ? [...victimIds, null] : [null]) {
        const { query, variables } = operationFor('subscription', field, { id: id ?? '1', text: 'x' });
        const vars =
          id === null ? Object.fromEntries(Object.keys(variables).map((k) => [k, null])) : variables;
        disposers.push(
          client.subscribe(
            { query, variables: vars },
            {
              next: (v) => received.push(JSON.stringify(v)),
              error: (e) =>
                errors.push(
                  Array.isArray(e)
                    ? JSON.stringify(e)
                    : `${(e as { code?: number }).code} ${(e as { reason?: string }).reason ?? String(e)}`,
                ),
              complete: () => undefined,
            },
          ),
        );
      }
    }
    const owner = createClient({
      url: hive.url.replace(/^http/, 'ws') + '/graphql',
      connectionParams: { authorization: `Bearer ${victimToken}` },
      retryAttempts: 0,
    });
    const ownerGot: string[] = [];
    const ownerSubs = ['repositoryEvents { type message }', 'repositoryChanged { id name }'].map((field) =>
      owner.subscribe(
        { query: `subscription { ${field} }` },
        { next: (v) => ownerGot.push(JSON.stringify(v)), error: () => undefined, complete: () => undefined },
      ),
    );
    // A subscription acknowledges nothing: its first message is the proof that it is live. So poke until
    // each side has heard something; mallory through a repository of her own ("malmark"), which she may see.
    const until = async (heard: () => boolean, poke: () => Promise<void>, what: string) => {
      for (let round = 0; round < 100; round++) {
        await poke();
        for (let i = 0; i < 20; i++) {
          if (heard()) return;
          await new Promise((r) => setTimeout(r, 25));
        }
      }
      assert.fail(`never heard: ${what}`);
    };
    const em = hive.services.orm.em.fork();
    const load = (id: string) =>
      em.findOneOrFail(Repository, { id: Number(id) }, { populate: ['groups'], refresh: true });
    const malmark = await load((await createRepo(hive, token, { name: 'malmark' })).id);
    const victimRepo = await load(victimRepoId);
    const poke = async (repo: Repository, message: string) => {
      await hive.services.events.record(em, repo, RepositoryEventType.UPDATED, message);
      await hive.services.events.changed(em, repo);
    };
    const count = (list: string[], text: string) => list.filter((m) => m.includes(text)).length;
    const heardOwn = (text: string, before: number) => () =>
      count(received, text) >= before + 1 && count(received, '"malmark"') > 0;
    await until(heardOwn('malmark ping', 0), () => poke(malmark, 'malmark ping'), 'mallory subscribed');
    await until(
      () => ownerGot.some((m) => m.includes('secreta ping')) && count(ownerGot, 'secreta-repo') > 0,
      () => poke(victimRepo, 'secreta ping'),
      'the owner subscribed',
    );
    await until(
      () => [...received, ...errors].some((m) => m.includes('NOT_FOUND')),
      () => Promise.resolve(),
      'the refusals',
    );
    // her event and change, delivered (the owner has both), then mallory's own: a message of hers would
    // reach mallory before the marker that follows it on the same socket
    const changesBefore = count(ownerGot, 'secreta-repo');
    await poke(victimRepo, 'secreta update');
    await until(
      () =>
        ownerGot.some((m) => m.includes('secreta update')) && count(ownerGot, 'secreta-repo') > changesBefore,
      () => Promise.resolve(),
      'her update, by the owner',
    );
    const markers = count(received, '"malmark"');
    await poke(malmark, 'malmark after');
    await until(
      () => count(received, 'malmark after') > 0 && count(received, '"malmark"') > markers,
      () => Promise.resolve(),
      'the marker after her update',
    );
    for (const d of disposers) d();
    for (const d of ownerSubs) d();
    await client.dispose();
    await owner.dispose();
    const events = received.filter(
      (m) => MARKER.test(m) || ((JSON.parse(m) as { data?: unknown }).data != null && !m.includes('malmark')),
    );
    assert.deepEqual(events, [], 'no event of hers reached mallory (only those of her own repository)');
    const refusals = [...received, ...errors].filter((m) => m.includes('NOT_FOUND'));
    assert.ok(refusals.length >= 1, 'subscribing to her repository by id is refused');
  });
});
