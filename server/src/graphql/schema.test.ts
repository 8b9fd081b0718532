import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { printSchema } from 'graphql';
import { getSchema } from './schema.js';

it('schema/schema.graphql is the schema the code builds (npm run schema)', async () => {
  const committed = readFileSync(join(import.meta.dirname, '../../../schema/schema.graphql'), 'utf8');
  assert.equal(
    committed,
    `${printSchema(await getSchema())}\n`,
    'the committed schema drifted: run npm run schema',
  );
});

it('has the operations of the contract with their argument names', async () => {
  const schema = await getSchema();
  const expect: Record<string, Record<string, string[]>> = {
    Query: {
      me: [],
      repositories: [],
      repository: ['id'],
      sshKeys: [],
      locations: [],
      notificationChannels: [],
      authorizedKeys: ['user', 'fingerprint'],
    },
    Mutation: {
      // contract §11: otp with TOTP on; passkey: optional, beyond the contract (a passkey as second factor)
      login: ['username', 'password', 'otp', 'passkey'],
      createUser: ['input'],
      createGroup: ['name', 'memberIds'],
      // locationId: optional, beyond the contract (required for AGENT tokens only)
      createApiToken: ['name', 'scope', 'expiresAt', 'locationId'],
      addSshKey: ['name', 'publicKey'],
      deleteSshKey: ['id'],
      createRepository: ['input'],
      updateRepository: ['id', 'input'],
      deleteRepository: ['id', 'deleteData'],
      refreshRepository: ['id'],
      createNotificationChannel: ['input'],
      // id: optional, beyond the contract (test a stored channel with its sealed settings)
      testNotificationChannel: ['id', 'input'],
      enableTotp: [],
      confirmTotp: ['code'],
      disableTotp: ['code'],
    },
    Subscription: { repositoryEvents: ['repositoryId'], repositoryChanged: [] },
  };
  for (const [typeName, fields] of Object.entries(expect)) {
    const type =
      typeName === 'Query'
        ? schema.getQueryType()
        : typeName === 'Mutation'
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    assert.ok(type, typeName);
    const have = type.getFields();
    for (const [field, args] of Object.entries(fields)) {
      assert.ok(have[field], `${typeName}.${field} exists`);
      assert.deepEqual(
        have[field].args.map((a) => a.name).sort(),
        [...args].sort(),
        `${typeName}.${field} arguments`,
      );
    }
  }
  const repo = schema.getType('Repository');
  assert.ok(repo && 'getFields' in repo);
  const repoFields = Object.keys(repo.getFields());
  for (const f of 'id name repoUser uid mode path url sshKeys appendOnlySshKeys quotaBytes alertAfterDays isOpen lastAccessAt lastUpdatedAt usageBytes isStale pingUrl createdAt owner groups events statistics'.split(
    ' ',
  )) {
    assert.ok(repoFields.includes(f), `Repository.${f}`);
  }
});
