import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type GraphQLInputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { getSchema } from '../../graphql/schema.js';
import { ADMIN_PASSWORD, startTestHive, type TestHive } from '../../test-support/hive.js';
import { operationFor } from '../../test-support/operation-builder.js';
import { AuditEntry } from './audit-entry.entity.js';
import { SIGN_IN_FIELDS } from './audit-recorder.js';

/**
 * Argument and input-field names whose values are secrets, written out here independently of the
 * redaction rules, plus everything inside a channel's `settings`.
 */
const SECRET_ARGS = new Set([
  'password',
  'currentPassword',
  'newPassword',
  'otp',
  'code',
  'passphrase',
  'secret',
  'token',
]);

/** A generated value per argument: strings say where they came from (`v-<name>`), so a leak is traceable. */
function valueNamed(
  type: GraphQLInputType,
  name: string,
  secrets: Set<string>,
  inSecret: boolean,
  depth = 0,
): unknown {
  if (isNonNullType(type)) return valueNamed(type.ofType, name, secrets, inSecret, depth);
  if (isListType(type)) return [valueNamed(type.ofType, name, secrets, inSecret, depth)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    if (depth > 3) return {};
    return Object.fromEntries(
      Object.values(type.getFields()).map((f) => [
        f.name,
        valueNamed(f.type, f.name, secrets, inSecret || SECRET_ARGS.has(f.name), depth + 1),
      ]),
    );
  }
  const named = getNamedType(type);
  if (!isScalarType(named)) throw new Error(`no value for ${type.toString()}`);
  switch (named.name) {
    case 'ID':
      return '999999';
    case 'String': {
      const v = `v-${name}-${Math.random().toString(36).slice(2, 8)}`;
      if (inSecret || SECRET_ARGS.has(name)) secrets.add(v);
      return v;
    }
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTimeISO':
      return '2099-01-01T00:00:00.000Z';
    case 'JSONObject': {
      // Only a channel's settings hold secrets; other JSON (a channel's alert rules) is kept as sent.
      if (name !== 'settings') return {};
      const v = `v-settings-${Math.random().toString(36).slice(2, 8)}`;
      secrets.add(v);
      return { token: v, url: `https://user:${v}@example.test/hook`, to: 'a@example.test' };
    }
  }
  throw new Error(`no value for ${named.name}`);
}

async function allRows(hive: TestHive): Promise<AuditEntry[]> {
  return hive.services.orm.em.fork().find(AuditEntry, {}, { orderBy: { id: 'asc' } });
}

describe('audit trail', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive();
  });
  after(() => hive.dispose());

  it('keeps what changed for real changes, and sign-ins as events', async () => {
    const created = await hive.gql<{ createUser: { id: string } }>(
      hive.adminToken,
      'mutation($i:CreateUserInput!){createUser(input:$i){id}}',
      {
        i: {
          username: 'ursula',
          password: 'ursula-password-secret',
          email: 'u@example.test',
          isAdmin: false,
        },
      },
    );
    const id = created.data!.createUser.id;
    const rows = await allRows(hive);
    const line = rows.filter((e) => e.operation === 'createUser').at(-1)!;
    assert.equal(line.target, id);
    assert.equal(line.outcome, 'OK');
    assert.deepEqual(JSON.parse(line.details!), {
      input: { username: 'ursula', password: '[redacted]', email: 'u@example.test', isAdmin: false },
    });
    await hive.gql(null, 'mutation{login(username:"ursula",password:"wrong-one"){token}}');
    const ursula = await hive.login('ursula', 'ursula-password-secret');
    const signIns = (await allRows(hive)).filter((e) => e.operation === 'signIn' && e.target === 'ursula');
    assert.deepEqual(
      signIns.map((e) => [e.outcome, e.actorName, e.actorId]),
      [
        ['FAILED', 'ursula', Number(id)],
        ['OK', 'ursula', Number(id)],
      ],
    );
    assert.ok(!JSON.stringify(await allRows(hive)).includes('ursula-password-secret'));
    assert.ok(!JSON.stringify(await allRows(hive)).includes(ursula));
  });

  it('auditLog: admins see all, others their own; filters and cursor paging', async () => {
    const u = await hive.newUser('vera');
    for (const name of ['k1', 'k2', 'k3']) {
      await hive.gql(u.token, 'mutation($n:String!){createApiToken(name:$n,scope:READ_ONLY){token}}', {
        n: name,
      });
    }
    type Page = {
      auditLog: {
        entries: { operation: string; actorName: string; target: string }[];
        nextCursor: string | null;
      };
    };
    const own = await hive.gql<Page>(
      u.token,
      '{auditLog(first:500){entries{operation actorName target} nextCursor}}',
    );
    assert.ok(own.data!.auditLog.entries.length >= 3);
    assert.ok(own.data!.auditLog.entries.every((e) => e.actorName === 'vera'));
    const q =
      'query($a:ID){auditLog(first:2,after:$a,filter:{operation:"createApiToken",actorName:"vera"}){entries{operation actorName target} nextCursor}}';
    const p1 = await hive.gql<Page>(hive.adminToken, q);
    assert.equal(p1.data!.auditLog.entries.length, 2);
    const p2 = await hive.gql<Page>(hive.adminToken, q, { a: p1.data!.auditLog.nextCursor });
    assert.equal(p2.data!.auditLog.entries.length, 1);
    assert.equal(p2.data!.auditLog.nextCursor, null);
    const ids = [...p1.data!.auditLog.entries, ...p2.data!.auditLog.entries].map((e) => e.target);
    assert.equal(new Set(ids).size, 3, 'pages do not overlap');
    const bad = await hive.gql(hive.adminToken, '{auditLog(first:0){nextCursor}}');
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const anon = await hive.gql(null, '{auditLog{nextCursor}}');
    assert.equal(anon.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  it('GET /audit.jsonl: admins only, one JSON object a line, oldest first', async () => {
    const none = await fetch(`${hive.url}/audit.jsonl`);
    assert.equal(none.status, 401);
    const vera = await hive.login('vera', 'vera-password');
    const notAdmin = await fetch(`${hive.url}/audit.jsonl`, { headers: { authorization: `Bearer ${vera}` } });
    assert.equal(notAdmin.status, 403);
    // the guard GET /metrics shares: an admin's storage-node token is known (not 401) but not allowed
    const keys = await hive.gql<{ createApiToken: { token: string } }>(
      hive.adminToken,
      'mutation{createApiToken(name:"audit-keys",scope:KEYS_READ){token}}',
    );
    const keysToken = keys.data!.createApiToken.token;
    const storageNode = await fetch(`${hive.url}/audit.jsonl`, {
      headers: { authorization: `Bearer ${keysToken}` },
    });
    assert.equal(storageNode.status, 403);
    const bad = await fetch(`${hive.url}/audit.jsonl?since=yesterday`, {
      headers: { authorization: `Bearer ${hive.adminToken}` },
    });
    assert.equal(bad.status, 400);
    const res = await fetch(`${hive.url}/audit.jsonl`, {
      headers: { authorization: `Bearer ${hive.adminToken}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /jsonl/);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; operation: string });
    assert.equal(lines.length, (await allRows(hive)).length);
    assert.ok(lines.every((l, i) => i === 0 || l.id > lines[i - 1]!.id));
  });

  it('forgets entries older than the retention (BORGHIVE_AUDIT_RETENTION_DAYS, 365 by default)', async () => {
    const em = hive.services.orm.em.fork();
    const old = em.create(AuditEntry, {
      at: new Date(Date.now() - 366 * 86_400_000),
      address: '127.0.0.1',
      operation: 'createUser',
      outcome: 'OK',
    });
    const recent = em.create(AuditEntry, {
      at: new Date(Date.now() - 364 * 86_400_000),
      address: '127.0.0.1',
      operation: 'createUser',
      outcome: 'OK',
    });
    await em.flush();
    assert.equal(await hive.services.audit.purge(), 1);
    const left = await hive.services.orm.em.fork().find(AuditEntry, { id: { $in: [old.id, recent.id] } });
    assert.deepEqual(
      left.map((e) => e.id),
      [recent.id],
    );
  });
  it('records every mutation of the schema (generated), with its outcome, and never a secret', async () => {
    const schema = await getSchema();
    const secrets = new Set<string>([ADMIN_PASSWORD]);
    const fields = Object.values(schema.getMutationType()!.getFields());
    assert.ok(fields.length >= 30, `${fields.length} mutations`);
    const missing: string[] = [];
    for (const field of fields) {
      // a fresh admin session each time: the probes include logout and revokeOtherSessions (so: last)
      const token = await hive.login('admin', ADMIN_PASSWORD);
      secrets.add(token);
      const { query } = operationFor('mutation', field, { id: '999999', text: 'x' });
      const variables = Object.fromEntries(
        field.args.map((a) => [a.name, valueNamed(a.type, a.name, secrets, SECRET_ARGS.has(a.name))]),
      );
      const before = (await allRows(hive)).at(-1)?.id ?? 0;
      const r = await hive.gql(token, query, variables);
      const data = JSON.stringify(r.data ?? {});
      for (const m of data.matchAll(/bh[st]_[A-Za-z0-9_-]{43}/g)) secrets.add(m[0]);
      const expected = SIGN_IN_FIELDS.has(field.name) ? 'signIn' : field.name;
      const lines = (await allRows(hive)).filter((e) => e.id > before && e.operation === expected);
      if (lines.length !== 1) {
        missing.push(`${field.name}: ${lines.length} lines (${JSON.stringify(r.errors?.[0])})`);
        continue;
      }
      const line = lines[0]!;
      const code = r.errors?.[0]?.extensions?.code;
      if (!SIGN_IN_FIELDS.has(field.name)) {
        assert.equal(line.outcome, code ?? 'OK', `${field.name}: outcome`);
        assert.equal(line.actorName, 'admin');
        assert.equal(line.via, 'session');
      }
      assert.equal(line.address, '127.0.0.1');
    }
    assert.deepEqual(missing, []);
    const dump = JSON.stringify(await allRows(hive));
    const leaked = [...secrets].filter((s) => dump.includes(s));
    assert.deepEqual(leaked, [], 'no secret in the audit trail');
    assert.match(dump, /v-name-/, 'ordinary arguments are kept (the check is not vacuous)');
  });
});
