/**
 * Developer tool (npm run migration:create): for each dialect, applies the committed migrations to a
 * fresh database and writes the difference to the entities as a new TypeScript migration in
 * server/src/db/migrations/<dialect>/. Rebuild (tsc -b) afterwards.
 */
import { migrateUp, migrationsPath, openOrm } from '../db/orm.js';
import { createTestDatabase, dialects } from '../test-support/databases.js';

for (const dialect of dialects) {
  const db = await createTestDatabase(dialect);
  const orm = await openOrm(db.database);
  try {
    await migrateUp(orm);
    const result = await orm.migrator.create(migrationsPath(dialect, true));
    console.log(`${dialect}: ${result.fileName ? `wrote ${result.fileName}` : 'no changes'}`);
  } finally {
    await orm.close(true);
    await db.drop();
  }
}
