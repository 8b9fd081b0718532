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
        // triggers are outside the entity diff (ignoreTriggers): 14 tables read by the repository list,
        // insert/update/delete each (response-cache.test.ts checks what they do)
        const triggers = await orm.em
          .getConnection()
          .execute<{ name: string }[]>(
            dialect === 'sqlite'
              ? "select name from sqlite_master where type = 'trigger' and name like '%data_version'"
              : "select trigger_name as name from information_schema.triggers where trigger_schema = database() and trigger_name like '%data_version'",
          );
        assert.equal(triggers.length, 42, triggers.map((t) => t.name).join(', '));
      } finally {
        await orm.close(true);
        await db.drop();
      }
    });
  });
}
