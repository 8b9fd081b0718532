import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { AccountConflictError, type RepoAccount } from './accounts.backend.js';
import { LocalAccountsBackend } from './local.backend.js';
import { readPasswd } from './local.passwd.js';

const run = promisify(execFile);
const logger = pino({ level: 'silent' });
const isRoot = process.getuid?.() === 0;
const USERS_GID = 100; // Debian's "users" group

/** 8 random [a-z0-9] characters starting with "t", unused on this machine. */
function uniqueName(): string {
  return `t${randomBytes(8).toString('hex').slice(0, 7)}`;
}

async function freeUid(taken: Set<number>): Promise<number> {
  const used = new Set((await readPasswd('/etc/passwd')).map((entry) => entry.uid));
  for (;;) {
    const uid = randomInt(61_000, 64_000);
    if (!used.has(uid) && !taken.has(uid)) return (taken.add(uid), uid);
  }
}

async function shadowPassword(user: string): Promise<string | undefined> {
  const line = (await readFile('/etc/shadow', 'utf8')).split('\n').find((l) => l.startsWith(`${user}:`));
  return line?.split(':')[1];
}

describe(
  'LocalAccountsBackend with real useradd/userdel',
  { skip: isRoot ? false : 'needs root (useradd/userdel)' },
  () => {
    let repoPath: string;
    let backend: LocalAccountsBackend;
    const created: string[] = [];
    const uids = new Set<number>();
    let account: RepoAccount;

    before(async () => {
      repoPath = await mkdtemp(path.join(os.tmpdir(), 'borghive-local-accounts-'));
      backend = new LocalAccountsBackend({ repoPath }, logger);
      const user = uniqueName();
      created.push(user);
      account = { user, uid: await freeUid(uids), gid: USERS_GID, home: path.join(repoPath, user) };
    });
    after(async () => {
      await backend?.close();
      for (const user of created) await run('userdel', [user]).catch(() => undefined);
      await rm(repoPath, { recursive: true, force: true });
    });

    it('creates a login-capable account with a locked password and a 0770 home', async () => {
      await backend.ensure(account);
      const entry = (await readPasswd('/etc/passwd')).find((e) => e.name === account.user);
      assert.deepEqual(entry, {
        name: account.user,
        uid: account.uid,
        gid: USERS_GID,
        gecos: 'Borghive Repo User',
        home: account.home,
        shell: '/bin/sh',
      });
      assert.equal(await shadowPassword(account.user), '*');
      const home = await stat(account.home);
      assert.equal(home.uid, account.uid);
      assert.equal(home.mode & 0o777, 0o770);
      assert.ok((await backend.list()).some((a) => a.user === account.user && a.uid === account.uid));
      const { stdout } = await run('su', ['-s', '/bin/sh', account.user, '-c', 'id -u']);
      assert.equal(stdout.trim(), String(account.uid), 'the shell runs commands for the account');
    });

    it('repairs uid, gid and shell changed by hand', async () => {
      const otherUid = await freeUid(uids);
      await run('usermod', [
        '--uid',
        String(otherUid),
        '--gid',
        '0',
        '--shell',
        '/usr/sbin/nologin',
        account.user,
      ]);
      await backend.ensure(account);
      const entry = (await readPasswd('/etc/passwd')).find((e) => e.name === account.user);
      assert.equal(entry?.uid, account.uid);
      assert.equal(entry?.gid, USERS_GID);
      assert.equal(entry?.shell, '/bin/sh');
    });

    it('never touches an account it does not own', async () => {
      const foreign = uniqueName();
      created.push(foreign);
      await run('useradd', [
        '--no-create-home',
        '--comment',
        'Somebody Else',
        '--uid',
        String(await freeUid(uids)),
        foreign,
      ]);
      const before = (await readPasswd('/etc/passwd')).find((e) => e.name === foreign);
      await assert.rejects(
        backend.ensure({
          user: foreign,
          uid: account.uid + 1,
          gid: USERS_GID,
          home: path.join(repoPath, foreign),
        }),
        AccountConflictError,
      );
      await backend.remove(foreign);
      assert.deepEqual(
        (await readPasswd('/etc/passwd')).find((e) => e.name === foreign),
        before,
      );
      assert.ok(!(await backend.list()).some((a) => a.user === foreign));
    });

    it('refuses a home outside the repository path', async () => {
      await assert.rejects(backend.ensure({ ...account, home: '/etc' }), RangeError);
    });

    it('removes its account, keeps the data, and treats a missing account as removed', async () => {
      await backend.remove(account.user);
      assert.equal(
        (await readPasswd('/etc/passwd')).find((e) => e.name === account.user),
        undefined,
      );
      assert.ok((await stat(account.home)).isDirectory(), 'repository data stays on disk');
      await backend.remove(account.user);
      assert.ok(!(await backend.list()).some((a) => a.user === account.user));
    });
  },
);
