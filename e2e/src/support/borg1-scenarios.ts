import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { detectBorgVersion } from '@borg-hive/server/testing';
import { repoFiles, rollBackTo } from './borg-repo-files.js';
import type { CreatedRepository, RepositoryInput } from './hive-api.js';
import type { KeysRig } from './keys-rig.js';
import { borgClient, type BorgClient, type Runner } from './remote-client.js';
import { run } from './run.js';
import type { RunningSshd } from './sshd.js';
import { makeClientKey, type ClientKey } from './ssh-keys.js';

/** One client/server pairing of borg 1 versions, through a rig's hive and borg-hive-keys. */
export interface Borg1Pairing {
  rig: KeysRig;
  /** A short name, unique in the rig: its folder, key and repository names. */
  label: string;
  /** Where the client's borg runs: run (this machine) or a sid node's run. */
  client: Runner;
  /** What the client's `borg --version` says, e.g. /^borg 1\.4\.5$/ */
  clientVersion: RegExp;
  /** The sshd whose forced `borg serve` answers: the rig's own, or another one asking the same client. */
  sshd?: RunningSshd;
}

/**
 * The borg 1 scenarios, registered in the calling describe(): a full-access round trip, an append-only
 * key whose delete leaves every segment in place (and a rollback that brings the archive back), a quota
 * repository refusing a backup that exceeds it. `pairing` is called in before(), once the caller's own
 * before() has made the rig.
 */
export function borg1Scenarios(pairing: () => Borg1Pairing): void {
  let dir: string;
  let sshd: RunningSshd;
  let full: ClientKey;
  let appendOnly: ClientKey;
  let repo: CreatedRepository;
  let quota: CreatedRepository;
  let machine: (name: string) => BorgClient;
  let borg: BorgClient;
  let clientVersion: RegExp;
  const diagnose = async () => `--- sshd log:\n${(await sshd.readLog()).slice(-3000)}`;

  before(async () => {
    const p = pairing();
    const { rig } = p;
    ({ clientVersion } = p);
    sshd = p.sshd ?? rig.sshd;
    dir = join(rig.dir, p.label);
    await mkdir(dir);
    machine = (name) => borgClient(dir, name, p.client);
    borg = machine('laptop');
    [full, appendOnly] = await Promise.all(['full', 'append'].map((name) => makeClientKey(dir, name)));
    const admin = rig.hive.adminToken;
    const fullId = await rig.api.addSshKey(admin, `${p.label}-laptop`, full.publicKey);
    const appendId = await rig.api.addSshKey(admin, `${p.label}-server`, appendOnly.publicKey);
    const create = async (input: RepositoryInput & { name: string }) => {
      const made = await rig.createRepository(input);
      return { ...made, url: made.url.replace(`:${rig.sshd.port}/`, `:${sshd.port}/`) };
    };
    repo = await create({
      name: `${p.label}-alpha`,
      sshKeyIds: [fullId],
      appendOnlySshKeyIds: [appendId],
    });
    quota = await create({ name: `${p.label}-small`, sshKeyIds: [fullId], quotaBytes: 12 * 2 ** 20 });
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data/one.txt'), 'first backup through the hive\n');
    await writeFile(join(dir, 'data/blob.bin'), randomBytes(200_000));
  });

  test('a full-access key runs init, create, list and extract, and the data matches', async () => {
    const version = await borg(full, ['--version']);
    assert.match(version.stdout.trim(), clientVersion, version.stderr);
    const init = await borg(full, ['init', '--encryption=none', repo.url]);
    assert.equal(init.code, 0, `${init.stderr}\n${await diagnose()}`);
    const create = await borg(full, ['create', `${repo.url}::one`, 'data']);
    assert.equal(create.code, 0, create.stderr);
    const list = await borg(full, ['list', '--short', repo.url]);
    assert.equal(list.stdout, 'one\n', list.stderr);
    const restore = join(dir, 'restore');
    await mkdir(restore);
    const extract = await borg(full, ['extract', `${repo.url}::one`], restore);
    assert.equal(extract.code, 0, extract.stderr);
    for (const file of ['one.txt', 'blob.bin']) {
      assert.deepEqual(await readFile(join(restore, 'data', file)), await readFile(join(dir, 'data', file)));
    }
    assert.equal(await detectBorgVersion(repo.path), 'BORG1');
    const log = await sshd.readLog();
    assert.match(log, new RegExp(`Accepted publickey for ${repo.repoUser} `));
    assert.match(
      log,
      new RegExp(
        `forced-command \\(key-option\\) 'borg serve --umask 007 --restrict-to-repository ${repo.path}'`,
      ),
    );
  });

  test('an append-only key adds archives, and its delete leaves the data in the repository', async () => {
    await writeFile(join(dir, 'data/two.txt'), 'second backup, by the append-only key\n');
    const create = await borg(appendOnly, ['create', `${repo.url}::two`, 'data']);
    assert.equal(create.code, 0, `${create.stderr}\n${await diagnose()}`);
    const before = await repoFiles(repo.path);
    assert.match(
      await sshd.readLog(),
      new RegExp(
        `forced-command \\(key-option\\) 'borg serve --umask 007 --append-only --restrict-to-repository ${repo.path}'`,
      ),
    );

    const remove = await borg(appendOnly, ['delete', `${repo.url}::two`]);
    assert.equal(remove.code, 0, remove.stderr);
    const compact = await borg(appendOnly, ['compact', repo.url]);
    assert.equal(compact.code, 0, compact.stderr);
    assert.equal(
      (await borg(full, ['list', '--short', repo.url])).stdout,
      'one\n',
      'the delete was recorded',
    );

    // borg's append-only mode: the delete is a new transaction; no segment was removed or rewritten.
    const afterDelete = await repoFiles(repo.path);
    assert.ok(afterDelete.transaction > before.transaction);
    for (const [segment, size] of before.segments)
      assert.equal(afterDelete.segments.get(segment), size, segment);
    assert.match(
      await readFile(join(repo.path, 'transactions'), 'utf8'),
      new RegExp(`transaction ${afterDelete.transaction},`),
    );

    // ...so the operator can roll back to the transaction before the delete, as borg's docs describe,
    // and the full-access key (from a fresh client) finds the archive and its data again.
    await rollBackTo(repo.path, before.transaction);
    const auditor = machine('auditor');
    const list = await auditor(full, ['list', '--short', repo.url]);
    assert.equal(list.stdout, 'one\ntwo\n', list.stderr);
    const restore = join(dir, 'restore-two');
    await mkdir(restore);
    const extract = await auditor(full, ['extract', `${repo.url}::two`, 'data/two.txt'], restore);
    assert.equal(extract.code, 0, extract.stderr);
    assert.equal(
      await readFile(join(restore, 'data/two.txt'), 'utf8'),
      'second backup, by the append-only key\n',
    );
  });

  test('a repository with a quota refuses a backup that exceeds it', async () => {
    assert.equal((await borg(full, ['init', '--encryption=none', quota.url])).code, 0);
    const small = await borg(full, ['create', `${quota.url}::small`, 'data/one.txt']);
    assert.equal(small.code, 0, small.stderr);
    await writeFile(join(dir, 'big.bin'), randomBytes(16 * 2 ** 20));
    const big = await borg(full, ['create', `${quota.url}::big`, 'big.bin']);
    assert.notEqual(big.code, 0);
    assert.match(big.stderr, /storage quota .* has been exceeded/i);
    assert.equal((await borg(full, ['list', '--short', quota.url])).stdout, 'small\n');
    assert.match(
      await sshd.readLog(),
      new RegExp(`'borg serve --umask 007 --storage-quota \\d+ --restrict-to-repository ${quota.path}'`),
    );
  });
}

/** `borg --version` where runner runs programs (this machine, or a sid node). */
export async function borgVersion(runner: Runner = run): Promise<string> {
  const version = await runner('borg', ['--version']);
  assert.equal(version.code, 0, version.stderr);
  return version.stdout.trim();
}
