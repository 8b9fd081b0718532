import type { AccountsBackend, RepoAccount } from '../../adapters/accounts/accounts.backend.js';
import { reconcileAccounts } from '../../adapters/accounts/accounts.reconciler.js';
import type { Em } from '../../db/orm.js';
import { Repository } from './repository.entity.js';

export type SyncReport = Awaited<ReturnType<typeof reconcileAccounts>>;

/** The accounts every repository in the database needs. */
export async function desiredAccounts(em: Em, repoPath: string): Promise<RepoAccount[]> {
  const rows = await em.find(
    Repository,
    {},
    { fields: ['repoUser', 'uid', 'gid'] as never, orderBy: { id: 'asc' } },
  );
  return rows.map((r) => ({ user: r.repoUser, uid: r.uid, gid: r.gid, home: `${repoPath}/${r.repoUser}` }));
}

/** Makes the accounts backend match the database (borg-hive accounts sync, at start, on a schedule). */
export async function syncAccounts(
  em: Em,
  accounts: AccountsBackend,
  repoPath: string,
  opts: { dryRun?: boolean } = {},
): Promise<SyncReport> {
  if (accounts.kind === 'none') return { created: [], updated: [], removed: [], unchanged: 0 };
  return reconcileAccounts(accounts, await desiredAccounts(em, repoPath), { dryRun: opts.dryRun ?? false });
}

export function describeSync(report: SyncReport, dryRun: boolean): string {
  const verb = dryRun ? 'would be' : 'were';
  return [
    `${report.created.length} account(s) ${verb} created${report.created.length ? `: ${report.created.join(' ')}` : ''}`,
    `${report.updated.length} ${verb} updated${report.updated.length ? `: ${report.updated.join(' ')}` : ''}`,
    `${report.removed.length} ${verb} removed${report.removed.length ? `: ${report.removed.join(' ')}` : ''}`,
    `${report.unchanged} unchanged`,
  ].join('\n');
}
