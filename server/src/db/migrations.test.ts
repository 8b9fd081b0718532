import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestDatabase, dialects } from '../test-support/databases.js';
import { migrateUp, openOrm } from './orm.js';

/** Fails when the entities and the committed migrations disagree (run make-migration to fix). */
for (const dialect of dialects) {
  describe(`migrations on ${dialect}`, () => {
    it('bring a fresh database exactly to the entities', async () => {
      const db = await createTestDatabase(dialect);
      const orm = await openOrm(db.database);
      try {
        const applied = await migrateUp(orm);
        assert.ok(applied.length > 0, 'at least one migration is committed');
        const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
        assert.equal(diff.trim(), '', `entities and migrations differ; run make-migration:\n${diff}`);
        assert.deepEqual(await migrateUp(orm), [], 'a second run applies nothing');
      } finally {
        await orm.close(true);
        await db.drop();
      }
    });
  });
}
