/** The part of a libsql statement the ORM's SQLite driver (@mikro-orm/libsql's LibSqlConnection) uses. */
interface Statement {
  readonly reader: boolean;
  all(parameters: unknown): unknown;
  run(parameters: unknown): unknown;
  iterate(parameters: unknown): unknown;
}

/** A libsql Database, as far as preparing goes. */
export interface Preparing {
  prepare(sql: string): unknown;
}

/**
 * A prepared statement shared by every execution of the same SQL text. `all` and `run` bind their
 * parameters afresh and run to the end, which libsql handles correctly on a reused statement; `iterate`
 * (the driver's streaming, which may stop half-way) gets a statement of its own, as would `get`, whose
 * reuse libsql gets wrong (it returns a row of the previous binding), so it is not offered.
 */
class SharedStatement {
  constructor(
    private readonly stmt: Statement,
    private readonly fresh: () => Statement,
  ) {}

  get reader(): boolean {
    return this.stmt.reader;
  }

  all(parameters: unknown): unknown {
    return this.stmt.all(parameters);
  }

  run(parameters: unknown): unknown {
    return this.stmt.run(parameters);
  }

  iterate(parameters: unknown): unknown {
    return this.fresh().iterate(parameters);
  }
}

const MAX_SQL = 8192;

/**
 * Makes `db.prepare` keep the last `size` statements by SQL text. libsql parses and plans every
 * statement it is handed, and the ORM hands it each one afresh: under a steady load of small reads and
 * writes, preparing was the hive's largest single cost (bench/soak's CPU profile). Statements run one at
 * a time to their end (the driver holds a mutex around its one connection), so sharing one is safe.
 */
export function cacheStatements(db: Preparing, size = 500): void {
  const prepare = db.prepare.bind(db) as (sql: string) => Statement;
  const cache = new Map<string, SharedStatement>();
  db.prepare = (sql: string): unknown => {
    // a long text is a one-off (an IN list of thousands of ids): not worth a place
    if (sql.length > MAX_SQL) return prepare(sql);
    let shared = cache.get(sql);
    if (shared) {
      // most recently used last: the first key is the one to drop
      cache.delete(sql);
      cache.set(sql, shared);
      return shared;
    }
    shared = new SharedStatement(prepare(sql), () => prepare(sql));
    cache.set(sql, shared);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return shared;
  };
}
