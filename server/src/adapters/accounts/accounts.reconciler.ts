import type { AccountsBackend, RepoAccount } from './accounts.backend.js';
import { accountDrifted, assertRepoAccount } from './repo-account.validation.js';

export interface ReconcileOptions {
  /** Report what would change without changing anything. */
  dryRun?: boolean;
  /** Writes in flight at once (default 8). */
  concurrency?: number;
}

export interface ReconcileResult {
  created: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
}

/**
 * Makes the backend's own accounts match `desired`: creates the missing, fixes drifted uid/gid/home,
 * removes owned accounts nobody wants. Accounts the backend does not own never show up in its list(),
 * so they are never touched. One list() call, then bounded-concurrency writes; the first failed write
 * stops new ones and is rethrown once those in flight have settled (the next run picks up the rest).
 */
export async function reconcileAccounts(
  backend: AccountsBackend,
  desired: RepoAccount[],
  opts: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const wanted = new Map<string, RepoAccount>();
  for (const account of desired) {
    assertRepoAccount(account);
    if (wanted.has(account.user)) throw new RangeError(`repository user "${account.user}" is desired twice`);
    wanted.set(account.user, account);
  }
  const current = new Map((await backend.list()).map((account) => [account.user, account]));

  const result: ReconcileResult = { created: [], updated: [], removed: [], unchanged: 0 };
  const writes: (() => Promise<void>)[] = [];
  for (const account of wanted.values()) {
    const existing = current.get(account.user);
    if (existing === undefined) result.created.push(account.user);
    else if (accountDrifted(existing, account)) result.updated.push(account.user);
    else {
      result.unchanged += 1;
      continue;
    }
    writes.push(() => backend.ensure(account));
  }
  for (const user of current.keys()) {
    if (wanted.has(user)) continue;
    result.removed.push(user);
    writes.push(() => backend.remove(user));
  }

  if (!opts.dryRun) await runBounded(writes, opts.concurrency ?? 8);
  for (const list of [result.created, result.updated, result.removed]) list.sort();
  return result;
}

async function runBounded(tasks: (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < tasks.length) {
      const task = tasks[next++];
      try {
        await task?.();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(concurrency), tasks.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined) throw failure.error;
}
