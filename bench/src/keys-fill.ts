import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TestHive } from '@borg-hive/server/testing';

const KEYS_PER_REPOSITORY = 10;
const CHUNK = 400;

export interface FillerKey {
  base64: string;
  repositoryPath: string;
}

/** A random ssh-ed25519 public key blob (any 32 bytes parse as one) and its SHA256 fingerprint. */
function randomEd25519(): { base64: string; fingerprint: string } {
  const type = Buffer.from('ssh-ed25519');
  const blob = Buffer.alloc(4 + type.length + 4 + 32);
  blob.writeUInt32BE(type.length, 0);
  type.copy(blob, 4);
  blob.writeUInt32BE(32, 4 + type.length);
  randomBytes(32).copy(blob, 8 + type.length);
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return { base64: blob.toString('base64'), fingerprint };
}

/**
 * Inserts `count` keys straight into the hive's database (SQL, one transaction), ten to a repository of
 * their own, so the lookup for the benchmarked repository must select its keys among all of them.
 */
export async function fillKeys(
  hive: TestHive,
  count: number,
  template: { repositoryId: string },
): Promise<FillerKey[]> {
  const em = hive.services.orm.em.fork();
  const conn = em.getConnection();
  const [repo] = await conn.execute<{ location_id: number; owner_id: number; created_at: unknown }[]>(
    'select location_id, owner_id, created_at from repositories where id = ?',
    [Number(template.repositoryId)],
  );
  const repoPath = hive.config.repoPath;
  const keys = Array.from({ length: count }, () => randomEd25519());
  const repositories = Math.ceil(count / KEYS_PER_REPOSITORY);
  const filler: FillerKey[] = [];
  await em.transactional(async (tx) => {
    // MikroORM types the transaction context as any; it only goes back into execute()
    const ctx: unknown = tx.getTransactionContext();
    const run = (sql: string, params: unknown[]) => conn.execute(sql, params, 'run', ctx);
    const [{ m: repoBase }] = await conn.execute<{ m: number }[]>(
      'select max(id) as m from repositories',
      [],
      'all',
      ctx,
    );
    const [{ m: keyBase }] = await conn.execute<{ m: number }[]>(
      'select coalesce(max(id), 0) as m from ssh_keys',
      [],
      'all',
      ctx,
    );
    for (let start = 0; start < repositories; start += CHUNK) {
      const rows = Array.from({ length: Math.min(CHUNK, repositories - start) }, (_, i) => start + i);
      await run(
        `insert into repositories (name, repo_user, uid, gid, location_id, mode, owner_id, is_open, ping_uuid, created_at) values ${rows.map(() => '(?,?,?,?,?,?,?,?,?,?)').join(',')}`,
        rows.flatMap((i) => [
          `fill${i}`,
          repoUser(i),
          200_000 + i,
          100,
          repo.location_id,
          'BORG',
          repo.owner_id,
          0,
          randomUUID(),
          repo.created_at,
        ]),
      );
    }
    for (let start = 0; start < count; start += CHUNK) {
      const rows = Array.from({ length: Math.min(CHUNK, count - start) }, (_, i) => start + i);
      await run(
        `insert into ssh_keys (name, type, key_data, bits, fingerprint, comment, owner_id, created_at) values ${rows.map(() => '(?,?,?,?,?,?,?,?)').join(',')}`,
        rows.flatMap((i) => [
          `filler ${i}`,
          'ssh-ed25519',
          keys[i].base64,
          256,
          keys[i].fingerprint,
          `filler${i}@bench`,
          repo.owner_id,
          repo.created_at,
        ]),
      );
      await run(
        `insert into repository_ssh_keys (repository_id, ssh_key_id) values ${rows.map(() => '(?,?)').join(',')}`,
        rows.flatMap((i) => [repoBase + 1 + Math.floor(i / KEYS_PER_REPOSITORY), keyBase + 1 + i]),
      );
    }
  });
  for (let i = 0; i < count; i++) {
    filler.push({
      base64: keys[i].base64,
      repositoryPath: `${repoPath}/${repoUser(Math.floor(i / KEYS_PER_REPOSITORY))}/fill${Math.floor(i / KEYS_PER_REPOSITORY)}`,
    });
  }
  return filler;
}

/** "z" + 7 base-36 digits: a valid repo user name that the hive never generates for these rows' uids. */
function repoUser(i: number): string {
  return `z${i.toString(36).padStart(7, '0')}`;
}
