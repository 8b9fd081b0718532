import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startTestHive } from '../../test-support/hive.js';

it('through the API: a locked user is told so', async () => {
  const hive = await startTestHive();
  try {
    let last: { errors?: { message: string; extensions?: { code?: string } }[] } = {};
    for (let i = 0; i < 10; i++) {
      last = await hive.gql(null, 'mutation{login(username:"admin",password:"wrong-one"){token}}');
      if (last.errors?.[0]?.extensions?.code === 'FORBIDDEN') break;
    }
    assert.equal(last.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.match(last.errors?.[0]?.message ?? '', /too many failed logins/);
    const right = await hive.gql(
      null,
      'mutation{login(username:"admin",password:"admin-password-1"){token}}',
    );
    assert.match(right.errors?.[0]?.message ?? '', /too many failed logins/, 'even the right password waits');
  } finally {
    await hive.dispose();
  }
});
