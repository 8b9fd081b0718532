import type { Em } from '../../db/orm.js';
import { Repository } from '../repository/index.js';
import { SshKey } from '../ssh-key/index.js';
import { fingerprintOf, parsePublicKey } from '../../security/host-keys.js';

/**
 * The run's key joins the repository's append-only set, so borg-hive-keys serves it like any other key
 * (`borg serve --append-only --restrict-to-repository`), for as long as the run lasts. It is owned by the
 * repository's owner and named after the run; removeRunKey takes it away again.
 */
export async function addRunKey(
  em: Em,
  repo: Repository,
  runId: number,
  publicKey: string,
  at: Date,
  /** maintenance (compact, break-lock) needs a full-access key; backups only ever get append-only */
  full = false,
): Promise<SshKey> {
  const key = parsePublicKey(publicKey);
  if (!key) throw new Error('the run key is unreadable');
  await em.populate(repo, ['appendOnlySshKeys', 'sshKeys']);
  const row = em.create(SshKey, {
    name: `${full ? 'maintenance' : 'backup'} run ${runId}`,
    type: key.type,
    keyData: key.base64,
    bits: 256,
    fingerprint: fingerprintOf(key),
    comment: `borg-hive-run-${runId}`,
    owner: repo.owner,
    internal: true,
    createdAt: at,
  });
  if (full) repo.sshKeys.add(row);
  else repo.appendOnlySshKeys.add(row);
  await em.flush();
  return row;
}

/** Removes the run key (from every repository's sets and the key table); nothing when it is gone. */
export async function removeRunKey(em: Em, keyId: number): Promise<void> {
  const key = await em.findOne(SshKey, { id: keyId });
  if (!key) return;
  const repos = await em.find(
    Repository,
    { $or: [{ appendOnlySshKeys: keyId }, { sshKeys: keyId }] },
    { populate: ['appendOnlySshKeys', 'sshKeys'] },
  );
  for (const repo of repos) {
    repo.appendOnlySshKeys.remove(key);
    repo.sshKeys.remove(key);
  }
  em.remove(key);
  await em.flush();
}
