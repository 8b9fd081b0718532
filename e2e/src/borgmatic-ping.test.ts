import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestHive, type TestHive } from '@borg-hive/server/testing';
import { run } from './support/run.js';

interface Event {
  type: string;
  message: string;
  log: string | null;
}

/** Debian's borgmatic 1.7 (sectioned config) with its own healthchecks hook pointed at a test hive. */
describe('borgmatic healthchecks hook against the ping endpoint', () => {
  let hive: TestHive;
  let work: string;
  let repo: { id: string; path: string; pingUrl: string };
  let env: NodeJS.ProcessEnv;

  const config = (repository: string) => `location:
    source_directories:
        - ${path.join(work, 'source')}
    repositories:
        - ${repository}
storage:
    archive_name_format: 'hive-test-{now:%Y%m%dT%H%M%S.%f}'
retention:
    keep_daily: 7
hooks:
    healthchecks:
        ping_url: ${repo.pingUrl}
        send_logs: true
`;
  const events = async (): Promise<Event[]> => {
    const r = await hive.gql<{ repository: { events: Event[] } }>(
      hive.adminToken,
      'query($id:ID!){repository(id:$id){events(limit:50){type message log}}}',
      { id: repo.id },
    );
    return (r.data?.repository.events ?? []).filter((e) => e.type.startsWith('BACKUP_')).reverse();
  };
  const borgmatic = async (name: string, repository: string) => {
    const file = path.join(work, `${name}.yaml`);
    await writeFile(file, config(repository));
    return run('borgmatic', ['--config', file, '--monitoring-verbosity', '1', '--verbosity', '1', 'create'], {
      env,
    });
  };

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'bh-borgmatic-'));
    await run('mkdir', ['-p', path.join(work, 'source'), path.join(work, 'home')]);
    await writeFile(path.join(work, 'source', 'notes.txt'), 'worth keeping\n');
    env = {
      ...process.env,
      HOME: path.join(work, 'home'),
      BORG_BASE_DIR: path.join(work, 'home'),
      BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
      BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
    };
    hive = await startTestHive({ overrides: { jobs: false } });
    const r = await hive.gql<{ createRepository: typeof repo }>(
      hive.adminToken,
      'mutation{createRepository(input:{name:"workstation", alertAfterDays: 1}){id path pingUrl}}',
    );
    repo = r.data?.createRepository ?? assert.fail(JSON.stringify(r.errors));
    const init = await run('borg', ['init', '--encryption=none', repo.path], { env });
    assert.equal(init.code, 0, init.stderr);
  });
  after(async () => {
    await hive?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('a successful run records started and succeeded, with its log', async () => {
    const result = await borgmatic('ok', repo.path);
    assert.equal(result.code, 0, result.stderr);
    const list = await run('borg', ['list', '--short', repo.path], { env });
    assert.match(list.stdout, /^hive-test-/m, 'the archive really is in the hive repository');
    const got = await events();
    assert.deepEqual(
      got.map((e) => e.type),
      ['BACKUP_STARTED', 'BACKUP_SUCCEEDED'],
    );
    assert.match(got[1]?.log ?? '', /Creating archive at ".*workstation::hive-test-/);
    assert.match(got[1]?.log ?? '', /Pinging Healthchecks finish/);
    const r = await hive.gql<{ repository: { lastBackupAt: string | null; isStale: boolean } }>(
      hive.adminToken,
      'query($id:ID!){repository(id:$id){lastBackupAt isStale}}',
      { id: repo.id },
    );
    assert.notEqual(r.data?.repository.lastBackupAt, null);
    assert.equal(r.data?.repository.isStale, false);
  });

  it('a failing run (no repository at that path) records failed, with the error in its log', async () => {
    const result = await borgmatic('broken', `${repo.path}-missing`);
    assert.notEqual(result.code, 0);
    const got = await events();
    assert.deepEqual(
      got.slice(2).map((e) => e.type),
      ['BACKUP_STARTED', 'BACKUP_FAILED'],
    );
    assert.match(got[3]?.log ?? '', /-missing does not exist/);
  });
});
