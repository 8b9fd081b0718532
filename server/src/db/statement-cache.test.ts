import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'libsql';
import { cacheStatements, type Preparing } from './statement-cache.js';

type Statement = {
  reader: boolean;
  all(p: unknown[]): { a: number }[];
  run(p: unknown[]): { changes: number };
  iterate(p: unknown[]): Iterable<{ a: number }>;
};

describe('cacheStatements (a real libsql database)', () => {
  const open = () => {
    const db = new Database(':memory:');
    db.exec('create table t (a integer, b text)');
    return db;
  };

  it('shares one statement per SQL text, and each run binds its own parameters', () => {
    const db = open();
    cacheStatements(db as unknown as Preparing, 2);
    const prepare = (sql: string) => db.prepare(sql) as unknown as Statement;
    const insert = 'insert into t (a, b) values (?, ?)';
    assert.equal(prepare(insert), prepare(insert), 'the same statement again');
    for (let a = 1; a <= 5; a++) assert.equal(prepare(insert).run([a, a % 2 ? 'odd' : 'even']).changes, 1);
    const select = 'select a from t where b = ? order by a';
    assert.equal(prepare(select).reader, true);
    assert.equal(prepare(insert).reader, false);
    assert.deepEqual(
      prepare(select)
        .all(['odd'])
        .map((r) => r.a),
      [1, 3, 5],
    );
    assert.deepEqual(
      prepare(select)
        .all(['even'])
        .map((r) => r.a),
      [2, 4],
    );
    // a stream stopped half-way has a statement of its own: the shared one is not left mid-result
    const first = prepare(select).iterate(['odd'])[Symbol.iterator]().next();
    assert.equal((first.value as { a: number }).a, 1);
    assert.deepEqual(
      prepare(select)
        .all(['even'])
        .map((r) => r.a),
      [2, 4],
    );
  });

  it('keeps only the most recently used texts', () => {
    const db = open();
    cacheStatements(db as unknown as Preparing, 2);
    const prepare = (sql: string) => db.prepare(sql) as unknown;
    const one = prepare('select 1');
    prepare('select 2');
    assert.equal(prepare('select 1'), one, 'used again: kept');
    prepare('select 3'); // drops "select 2", the least recently used
    assert.equal(prepare('select 1'), one);
    const long = `select 1 where 1 in (${'1, '.repeat(3000)}1)`;
    assert.notEqual(prepare(long), prepare(long), 'a very long text is not kept');
  });
});
