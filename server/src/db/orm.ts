import { join } from 'node:path';
import type { Logger } from 'pino';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { MikroORM as LibSqlORM } from '@mikro-orm/libsql';
import { MikroORM as MariaDbORM } from '@mikro-orm/mariadb';
import { Migrator } from '@mikro-orm/migrations';
import type { MikroORM as SqlORM, SqlEntityManager } from '@mikro-orm/sql';
import { secureSqliteFiles } from '../adapters/data-files.js';
import type { Config } from '../config/config.js';
import { entities } from './entities.js';

export type Orm = SqlORM;
export type Em = SqlEntityManager;
export type Dialect = Config['database']['dialect'];

/** Compiled migrations live beside this file: dist/db/migrations/<dialect>. */
export function migrationsPath(dialect: Dialect, source = false): string {
  const here = import.meta.dirname;
  const base = source ? join(here, '../../src/db/migrations') : join(here, 'migrations');
  return join(base, dialect);
}

function sqlitePath(url: string): string {
  return url.replace(/^file:/, '');
}

export interface OpenOrmOptions {
  logger?: Logger;
  debug?: boolean;
  /** For tooling that generates migrations: point discovery at the TypeScript sources. */
  migrationsSource?: boolean;
}

export async function openOrm(database: Config['database'], opts: OpenOrmOptions = {}): Promise<Orm> {
  const common = {
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    debug: opts.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    loadStrategy: 'select-in' as const,
    // the data_versions triggers live in the migrations (their tables include pivots, which have no
    // entity to declare them on); the migrations test checks them
    schemaGenerator: { ignoreTriggers: true },
    logger: (message: string) => opts.logger?.debug({ orm: true }, message),
    migrations: {
      path: migrationsPath(database.dialect, opts.migrationsSource),
      glob: '!(*.d).js',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
      emit: 'ts' as const,
    },
  };
  if (database.dialect === 'sqlite') {
    const path = sqlitePath(database.url);
    // hive.db holds channel secrets: 0600 from the start, and so its -wal/-shm (SQLite copies the mode)
    if (path !== ':memory:') secureSqliteFiles(path, opts.logger);
    const orm = await LibSqlORM.init({ ...common, dbName: path });
    // Write-ahead log, fsync at checkpoints only: a commit costs ~1 ms instead of ~20 (a rollback
    // journal fsyncs on every one); still consistent after a crash. One connection, set once.
    await orm.em.getConnection().execute('pragma journal_mode = wal');
    await orm.em.getConnection().execute('pragma synchronous = normal');
    return orm as unknown as Orm;
  }
  return (await MariaDbORM.init({
    ...common,
    clientUrl: database.url.replace(/^mysql:/, 'mariadb:'),
  })) as unknown as Orm;
}

export async function migrateUp(orm: Orm): Promise<string[]> {
  const done = await orm.migrator.up();
  return done.map((m) => m.name);
}
