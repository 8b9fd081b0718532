import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { startHive } from '../app.js';
import { loadConfig } from '../config/config.js';
import { createTestDatabase } from '../test-support/databases.js';
import { ADMIN_PASSWORD } from '../test-support/hive.js';
import { secureDataDir } from './data-files.js';

const root = mkdtempSync(join(tmpdir(), 'bh-data-files-'));
after(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (path: string): string => `0${(statSync(path).mode & 0o777).toString(8)}`;

function capturingLogger(lines: string[]) {
  return pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
}

async function startIn(dataDir: string, lines: string[], env: Record<string, string> = {}) {
  const config = loadConfig({
    BORGHIVE_DATA_DIR: dataDir,
    BORGHIVE_PORT: '0',
    BORGHIVE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    BORGHIVE_WATCH: 'false',
    ...env,
  });
  return startHive(config, capturingLogger(lines), { jobs: false });
}

describe('data directory and database file permissions', () => {
  it('a fresh data dir is 0700 and hive.db with its -wal and -shm 0600', async () => {
    const dataDir = join(root, 'fresh', 'var');
    const hive = await startIn(dataDir, []);
    try {
      assert.equal(modeOf(dataDir), '0700');
      for (const file of ['hive.db', 'hive.db-wal', 'hive.db-shm']) {
        assert.ok(existsSync(join(dataDir, file)), file);
        assert.equal(modeOf(join(dataDir, file)), '0600', file);
      }
    } finally {
      await hive.stop();
    }
  });

  it('tightens a data dir and database files others could read, with a warning', async () => {
    const dataDir = join(root, 'loose', 'var');
    await (await startIn(dataDir, [])).stop();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'hive.db'), 0o644);
    writeFileSync(join(dataDir, 'hive.db-journal'), '');
    chmodSync(join(dataDir, 'hive.db-journal'), 0o666);
    const lines: string[] = [];
    const hive = await startIn(dataDir, lines);
    try {
      assert.equal(modeOf(dataDir), '0700');
      for (const file of ['hive.db', 'hive.db-wal', 'hive.db-shm', 'hive.db-journal'])
        if (existsSync(join(dataDir, file))) assert.equal(modeOf(join(dataDir, file)), '0600', file);
      const warned = lines
        .map((l) => JSON.parse(l) as { msg: string; path: string; was: string })
        .filter((l) => /permissions tightened/.test(l.msg))
        .map((l) => [l.path.slice(dataDir.length), l.was]);
      assert.deepEqual(warned, [
        ['', '0755'],
        ['/hive.db', '0644'],
        ['/hive.db-journal', '0666'],
      ]);
    } finally {
      await hive.stop();
    }
  });

  it('with MariaDB the data dir is 0700 too', async () => {
    const db = await createTestDatabase('mariadb');
    const dataDir = join(root, 'mariadb', 'var');
    try {
      const hive = await startIn(dataDir, [], { BORGHIVE_DATABASE_URL: db.database.url });
      await hive.stop();
      assert.equal(modeOf(dataDir), '0700');
      assert.equal(existsSync(join(dataDir, 'hive.db')), false);
    } finally {
      await db.drop();
    }
  });

  it('lets repo users pass (0711, never list) when managed accounts have their repositories inside', () => {
    const dataDir = join(root, 'traverse');
    secureDataDir(dataDir, { repoPath: join(dataDir, 'repos'), accounts: 'local' });
    assert.equal(modeOf(dataDir), '0711');
    const alone = join(root, 'alone');
    secureDataDir(alone, { repoPath: join(alone, 'repos'), accounts: 'none' });
    assert.equal(modeOf(alone), '0700');
    const apart = join(root, 'apart');
    secureDataDir(apart, { repoPath: '/srv/borg-hive/repos', accounts: 'ldap' });
    assert.equal(modeOf(apart), '0700');
  });
});
