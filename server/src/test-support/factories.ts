import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHive } from './hive.js';

/** A fresh public key from the real ssh-keygen. */
export function newPublicKey(type: 'ed25519' | 'rsa' | 'ecdsa' = 'ed25519', comment = 'test@host'): string {
  const dir = mkdtempSync(join(tmpdir(), 'bh-key-'));
  try {
    const args = ['-q', '-t', type, '-N', '', '-C', comment, '-f', join(dir, 'k')];
    if (type === 'rsa') args.push('-b', '2048');
    execFileSync('ssh-keygen', args);
    return readFileSync(join(dir, 'k.pub'), 'utf8').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function addKey(
  hive: TestHive,
  token: string,
  name: string,
  publicKey = newPublicKey(),
): Promise<{ id: string; fingerprint: string }> {
  const r = await hive.gql<{ addSshKey: { id: string; fingerprint: string } }>(
    token,
    'mutation($n:String!,$k:String!){addSshKey(name:$n,publicKey:$k){id fingerprint}}',
    { n: name, k: publicKey },
  );
  if (!r.data?.addSshKey) throw new Error(`addSshKey: ${JSON.stringify(r.errors)}`);
  return r.data.addSshKey;
}

export interface RepoFields {
  id: string;
  name: string;
  repoUser: string;
  uid: number;
  path: string;
  url: string;
}

export async function createRepo(
  hive: TestHive,
  token: string,
  input: Record<string, unknown>,
): Promise<RepoFields> {
  const r = await hive.gql<{ createRepository: RepoFields }>(
    token,
    'mutation($i:CreateRepositoryInput!){createRepository(input:$i){id name repoUser uid path url}}',
    { i: input },
  );
  if (!r.data?.createRepository) throw new Error(`createRepository: ${JSON.stringify(r.errors)}`);
  return r.data.createRepository;
}

export async function createGroup(hive: TestHive, name: string, memberIds: string[]): Promise<string> {
  const r = await hive.gql<{ createGroup: { id: string } }>(
    hive.adminToken,
    'mutation($n:String!,$m:[ID!]){createGroup(name:$n,memberIds:$m){id}}',
    { n: name, m: memberIds },
  );
  if (!r.data?.createGroup) throw new Error(`createGroup: ${JSON.stringify(r.errors)}`);
  return r.data.createGroup.id;
}

export async function createToken(
  hive: TestHive,
  token: string,
  scope: string,
  name = `t-${scope}`,
  locationId?: string,
): Promise<string> {
  const r = await hive.gql<{ createApiToken: { token: string } }>(
    token,
    'mutation($n:String!,$s:TokenScope!,$l:ID){createApiToken(name:$n,scope:$s,locationId:$l){token}}',
    { n: name, s: scope, l: locationId ?? null },
  );
  if (!r.data?.createApiToken) throw new Error(`createApiToken: ${JSON.stringify(r.errors)}`);
  return r.data.createApiToken.token;
}

/** The id of the default repository location (seeded at first start). */
export async function defaultLocationId(hive: TestHive): Promise<string> {
  const r = await hive.gql<{ locations: { id: string; isDefault: boolean }[] }>(
    hive.adminToken,
    '{locations{id isDefault}}',
  );
  const id = r.data?.locations.find((l) => l.isDefault)?.id;
  if (!id) throw new Error(`no default location: ${JSON.stringify(r.errors)}`);
  return id;
}

/** A backup or maintenance run as the admin reads it (`fields`: the BackupRun fields to fetch). */
export async function fetchBackupRun<T>(hive: TestHive, id: string, fields: string): Promise<T> {
  const r = await hive.gql<{ backupRun: T | null }>(
    hive.adminToken,
    `query($id:ID!){backupRun(id:$id){${fields}}}`,
    {
      id,
    },
  );
  if (!r.data?.backupRun) throw new Error(`backupRun ${id}: ${JSON.stringify(r.errors)}`);
  return r.data.backupRun;
}

export function codeOf(r: { errors?: { extensions?: { code?: string } }[] }): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}
