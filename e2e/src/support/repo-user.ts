import { randomInt } from 'node:crypto';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run, runOk } from './run.js';

export interface RepoUser {
  /** 8 characters [a-z0-9], as the hive generates them. */
  name: string;
  uid: number;
  /** <repo root>/<name>, owned by the user, 0700. */
  home: string;
  remove(): Promise<void>;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Creates a throwaway system account (useradd, needs root) whose home lies under repoRoot. */
export async function createRepoUser(repoRoot: string): Promise<RepoUser> {
  for (let attempt = 0; attempt < 5; attempt++) {
    // A letter first: never all digits (useradd refuses those), never an existing account.
    const name = ALPHABET[randomInt(26)] + Array.from({ length: 7 }, () => ALPHABET[randomInt(36)]).join('');
    const home = join(repoRoot, name);
    const added = await run('useradd', ['--no-create-home', '--home-dir', home, '--shell', '/bin/sh', name]);
    if (added.code === 9) continue;
    if (added.code !== 0) throw new Error(`useradd ${name}: ${added.stderr.trim()}`);
    const uid = Number((await runOk('id', ['-u', name])).trim());
    const gid = Number((await runOk('id', ['-g', name])).trim());
    await mkdir(home, { mode: 0o700 });
    await chown(home, uid, gid);
    await chmod(home, 0o700);
    return { name, uid, home, remove: () => runOk('userdel', ['--force', name]).then(() => undefined) };
  }
  throw new Error('createRepoUser: no free user name after 5 attempts');
}
