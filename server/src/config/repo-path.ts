import { realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** Where repositories must never live: the system's own trees (and the whole filesystem). */
const SYSTEM_DIRS = [
  '/etc',
  '/proc',
  '/sys',
  '/dev',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/boot',
  '/run',
];

const within = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}${sep}`);

/**
 * BORGHIVE_REPO_PATH, absolute (resolved against `cwd`). Problems go to `problems`: the filesystem
 * root or a system directory (also when the path is a link to one), and, when the hive runs as root
 * and the directory exists, a directory that another account could change: repo users and whoever
 * else may write there could plant links, swap repositories or fill the disk around the hive.
 */
export function repoPathFrom(raw: string, cwd: string, isRoot: boolean, problems: string[]): string {
  const path = resolve(cwd, raw);
  let real = path;
  let stats;
  try {
    real = realpathSync(path);
    stats = statSync(real);
  } catch {
    stats = undefined; // missing: created 0755 at start-up
  }
  const name = real === path ? path : `${path} (${real})`;
  if (real === '/' || path === '/') {
    problems.push('BORGHIVE_REPO_PATH must not be the filesystem root /');
    return path;
  }
  const system = SYSTEM_DIRS.find((dir) => within(path, dir) || within(real, dir));
  if (system) {
    problems.push(`BORGHIVE_REPO_PATH must not be inside the system directory ${system}, got ${name}`);
    return path;
  }
  if (!stats) return path;
  if (!stats.isDirectory()) {
    problems.push(`BORGHIVE_REPO_PATH ${name} is not a directory`);
  } else if (isRoot && (stats.uid !== 0 || (stats.mode & 0o022) !== 0)) {
    const mode = (stats.mode & 0o7777).toString(8).padStart(4, '0');
    problems.push(
      `BORGHIVE_REPO_PATH ${name} (owner uid ${stats.uid}, mode ${mode}) must be owned by root and writable ` +
        `by root only, since the hive runs as root and other accounts could plant links or swap repositories ` +
        `there: chown root ${real} && chmod 755 ${real}`,
    );
  }
  return path;
}
