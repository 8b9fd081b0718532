import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { Config } from '../config/config.js';

/** Root access to the MariaDB the suite runs against (127.0.0.1:3306, root, empty password by default). */
export const mariadbRootUrl = process.env.BORGHIVE_TEST_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306';

export interface TestDatabase {
  database: Config['database'];
  drop(): Promise<void>;
}

async function rootQuery(sql: string): Promise<void> {
  const u = new URL(mariadbRootUrl);
  const conn = await createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
  });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/** A fresh, empty database of the dialect; drop() removes it. */
export async function createTestDatabase(dialect: Config['database']['dialect']): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bh-db-'));
    return {
      database: { dialect, url: `file:${dir}/hive.db` },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `bh_test_${randomBytes(5).toString('hex')}`;
  await rootQuery(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  return {
    database: { dialect, url: `${mariadbRootUrl.replace(/\/$/, '')}/${name}` },
    drop: () => rootQuery(`DROP DATABASE IF EXISTS \`${name}\``),
  };
}

export const dialects: Config['database']['dialect'][] = ['sqlite', 'mariadb'];
