import type { TestHive } from '../../test-support/hive.js';

export interface ApiEvent {
  id: string;
  type: string;
  createdAt: string;
}

export interface ApiRepository {
  id: string;
  repoUser: string;
  name: string;
  path: string;
  isOpen: boolean;
  lastUpdatedAt: string | null;
  lastAccessAt: string | null;
  usageBytes: number | null;
  events: ApiEvent[];
}

const REPOSITORY = `query($id:ID!){repository(id:$id){id repoUser name path isOpen lastUpdatedAt lastAccessAt usageBytes
  events(limit:500){id type createdAt}}}`;

/** Creates a repository through the API as the holder of `token`. */
export async function createRepository(hive: TestHive, token: string, name: string): Promise<ApiRepository> {
  const r = await hive.gql<{ createRepository: { id: string } }>(
    token,
    'mutation($i:CreateRepositoryInput!){createRepository(input:$i){id}}',
    { i: { name } },
  );
  if (!r.data?.createRepository) throw new Error(`createRepository: ${JSON.stringify(r.errors)}`);
  return fetchRepository(hive, token, r.data.createRepository.id);
}

/** The repository with its events oldest first (by id: the order they were recorded). */
export async function fetchRepository(
  hive: Pick<TestHive, 'gql'>,
  token: string,
  id: string,
): Promise<ApiRepository> {
  const r = await hive.gql<{ repository: ApiRepository }>(token, REPOSITORY, { id });
  if (!r.data?.repository) throw new Error(`repository ${id}: ${JSON.stringify(r.errors)}`);
  const repo = r.data.repository;
  repo.events.sort((a, b) => Number(a.id) - Number(b.id));
  return repo;
}

/** The watch event types of a repository (ping and alert events left out), in recording order. */
export function watchTypes(repo: ApiRepository, afterId = 0): string[] {
  const watch = new Set(['CREATED', 'OPENED', 'CLOSED', 'UPDATED', 'DELETED', 'ACCESSED']);
  return repo.events.filter((e) => Number(e.id) > afterId && watch.has(e.type)).map((e) => e.type);
}

/** Every (type, createdAt) recorded more than once. */
export function duplicates(repo: ApiRepository): string[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const e of repo.events) {
    const key = `${e.type}@${e.createdAt}`;
    if (seen.has(key)) dup.push(key);
    seen.add(key);
  }
  return dup;
}
