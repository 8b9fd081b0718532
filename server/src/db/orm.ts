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
  const orm = (await MariaDbORM.init({
    ...common,
    clientUrl: database.url.replace(/^mysql:/, 'mariadb:'),
    onCreateConnection: pinSqlMode,
  })) as unknown as Orm;
  try {
    await assertSafeSqlMode(orm.em.fork() as Em);
  } catch (err) {
    await orm.close(true);
    throw err;
  }
  return orm;
}

/**
 * The sql_mode of every MariaDB connection. Values reach MariaDB as escaped literals in the SQL text
 * (mysql2's text protocol; MikroORM inlines some itself), escaped with backslashes: a server whose
 * sql_mode has NO_BACKSLASH_ESCAPES reads `\'` as a backslash and the end of the string, so a login name
 * becomes SQL. ANSI_QUOTES would turn quoted values into identifiers. So whatever the server's
 * default, each connection sets its own, once, as it is opened.
 */
export const MARIADB_SQL_MODE = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';
const UNSAFE_SQL_MODES = ['NO_BACKSLASH_ESCAPES', 'ANSI_QUOTES'];

/** What kysely hands to onCreateConnection (its MysqlConnection): runs one statement on that connection. */
interface NewConnection {
  executeQuery(query: { sql: string; parameters: readonly unknown[] }): Promise<unknown>;
}

async function pinSqlMode(connection: unknown): Promise<void> {
  await (connection as NewConnection).executeQuery({
    sql: `SET SESSION sql_mode = '${MARIADB_SQL_MODE}'`,
    parameters: [],
  });
}

/** The flags of a sql_mode that would let an escaped value out of its string. */
export function unsafeSqlModes(mode: string): string[] {
  const flags = mode.toUpperCase().split(',');
  return UNSAFE_SQL_MODES.filter((m) => flags.includes(m));
}

/** Throws unless the session sql_mode of the connection `em` uses is safe (openOrm checks it at start). */
export async function assertSafeSqlMode(em: Em): Promise<void> {
  const rows = await em.execute<{ mode: string }[]>('select @@SESSION.sql_mode as mode');
  const mode = String(rows[0]?.mode ?? '');
  const unsafe = unsafeSqlModes(mode);
  if (unsafe.length > 0) {
    throw new Error(
      `the MariaDB session sql_mode is "${mode}": ${unsafe.join(' and ')} would let escaped values ` +
        'out of their strings; refusing to start',
    );
  }
}

export async function migrateUp(orm: Orm): Promise<string[]> {
  const done = await orm.migrator.up();
  return done.map((m) => m.name);
}
