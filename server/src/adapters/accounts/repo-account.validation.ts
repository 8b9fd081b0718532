import { REPO_USER } from '@borg-hive/rules';
import type { RepoAccount } from './accounts.backend.js';

const MIN_UID = 1000;
const MAX_ID = 2 ** 31 - 2;

/** Throws a RangeError listing what is wrong with a repo user name. */
export function assertRepoUser(user: string): void {
  if (!REPO_USER.test(user)) {
    throw new RangeError(`invalid repository user "${user}": expected 8 characters from [a-z0-9]`);
  }
}

/** Throws a RangeError when an account could not be written safely as a system account. */
export function assertRepoAccount(account: RepoAccount): void {
  assertRepoUser(account.user);
  const problems: string[] = [];
  if (!Number.isInteger(account.uid) || account.uid < MIN_UID || account.uid > MAX_ID) {
    problems.push(`uid ${account.uid} is outside ${MIN_UID}..${MAX_ID}`);
  }
  if (!Number.isInteger(account.gid) || account.gid < 0 || account.gid > MAX_ID) {
    problems.push(`gid ${account.gid} is outside 0..${MAX_ID}`);
  }
  if (!account.home.startsWith('/') || /[\0\n:]/.test(account.home)) {
    problems.push(`home "${account.home}" must be an absolute path without ':' or control characters`);
  }
  if (problems.length > 0) {
    throw new RangeError(`invalid account for "${account.user}": ${problems.join('; ')}`);
  }
}

/** True when the current account differs from the desired one in uid, gid or home, or is marked drifted. */
export function accountDrifted(current: RepoAccount, desired: RepoAccount): boolean {
  if (current.drifted === true) return true;
  return current.uid !== desired.uid || current.gid !== desired.gid || current.home !== desired.home;
}
