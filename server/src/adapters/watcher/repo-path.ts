import { REPO_USER, REPOSITORY_NAME } from '@borg-hive/rules';
import { relative, sep } from 'node:path';

const INDEX_PATTERN = /^index\.(\d+)$/;

/** The top-level entries of a borg 1.x repository the watcher cares about; everything else is ignored. */
export type RepoEntry =
  | { kind: 'lock' }
  | { kind: 'roster' }
  | { kind: 'readme' }
  | { kind: 'config' }
  | { kind: 'index'; transaction: number };

export type RepoPath =
  | { level: 'root' }
  | { level: 'user'; repoUser: string }
  | { level: 'repository'; repoUser: string; repoName: string }
  | { level: 'entry'; repoUser: string; repoName: string; entry: RepoEntry }
  | { level: 'other'; reason: string };

export function parseEntry(name: string): RepoEntry | undefined {
  switch (name) {
    case 'lock.exclusive':
      return { kind: 'lock' };
    case 'lock.roster':
      return { kind: 'roster' };
    case 'README':
      return { kind: 'readme' };
    case 'config':
      return { kind: 'config' };
  }
  const index = INDEX_PATTERN.exec(name);
  return index ? { kind: 'index', transaction: Number(index[1]) } : undefined;
}

/** Classifies a path below the repository root; never throws. */
export function parseRepoPath(root: string, path: string): RepoPath {
  const rel = relative(root, path);
  if (rel === '') return { level: 'root' };
  const parts = rel.split(sep);
  if (parts[0] === '..') return { level: 'other', reason: 'outside the repository path' };
  const [repoUser = '', repoName = '', name = ''] = parts;
  if (!REPO_USER.test(repoUser)) return { level: 'other', reason: 'not a repo user name' };
  if (parts.length === 1) return { level: 'user', repoUser };
  if (!REPOSITORY_NAME.test(repoName)) return { level: 'other', reason: 'not a repository name' };
  if (parts.length === 2) return { level: 'repository', repoUser, repoName };
  const entry = parts.length === 3 ? parseEntry(name) : undefined;
  if (!entry) return { level: 'other', reason: 'not a watched repository entry' };
  return { level: 'entry', repoUser, repoName, entry };
}

/** borg 1.x entries we know and deliberately skip (data/ is never entered). */
const KNOWN_SKIPPED = /^(data|nonce|hints\.\d+|integrity\.\d+|.*\.tmp)$/;

/**
 * Why the watcher skips a path (undefined: watch it). 'known' for borg's own entries we skip on
 * purpose; other reasons are surprises worth a debug line (stray files, unknown names).
 */
export function ignoreReason(root: string, path: string, isDirectory?: boolean): string | undefined {
  const parsed = parseRepoPath(root, path);
  if (parsed.level === 'other') {
    return KNOWN_SKIPPED.test(path.slice(path.lastIndexOf(sep) + 1)) ? 'known' : parsed.reason;
  }
  const container = parsed.level === 'user' || parsed.level === 'repository';
  return container && isDirectory === false ? 'stray file' : undefined;
}
