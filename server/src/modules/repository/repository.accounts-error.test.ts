import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { Repository } from './repository.entity.js';

const isRoot = process.getuid?.() === 0;
/** A valid gid of no group on the machine: the hive passes it on, useradd refuses it (exit 6), nothing is created. */
const MISSING_GID = '2147483000';

describe(
  'BORGHIVE_ACCOUNTS=local when useradd fails',
  { skip: isRoot ? false : 'needs root (useradd)' },
  () => {
    let hive: TestHive;
    // no jobs: the accounts sync of a local hive must not touch the machine's other test accounts
    before(async () => {
      hive = await startTestHive({
        env: { BORGHIVE_ACCOUNTS: 'local', BORGHIVE_REPO_GID: MISSING_GID },
        overrides: { jobs: false },
      });
    });
    after(() => hive?.dispose());

    it('the client gets a fixed message and a stable reason; the command line stays in the log', async () => {
      const r = await hive.gql(
        hive.adminToken,
        'mutation { createRepository(input: { name: "doomed" }) { repoUser } }',
      );
      assert.equal(r.data, null);
      assert.equal(
        r.errors?.[0]?.message,
        "the repository was not created: the account backend failed; see the hive's log",
      );
      assert.deepEqual(r.errors?.[0]?.extensions, {
        code: 'INTERNAL_SERVER_ERROR',
        retryable: true,
        reason: 'ACCOUNT_BACKEND_UNAVAILABLE',
      });
      const answer = JSON.stringify(r);
      for (const secret of ['useradd', '--home-dir', MISSING_GID, hive.config.repoPath, 'exit']) {
        assert.ok(!answer.includes(secret), `the answer does not show ${secret}: ${answer}`);
      }
      assert.equal(await hive.services.orm.em.fork().count(Repository, {}), 0, 'nothing is left behind');
    });
  },
);
