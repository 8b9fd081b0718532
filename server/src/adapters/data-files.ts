import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, relative, isAbsolute } from 'node:path';
import type { Logger } from 'pino';

/** The data directory: the hive's alone (the database, channel secrets, keys). */
export const DATA_DIR_MODE = 0o700;
/** The same when repo users must pass through it to repositories kept inside: traverse, never list. */
export const DATA_DIR_TRAVERSE_MODE = 0o711;
export const DATA_FILE_MODE = 0o600;

const SQLITE_COMPANIONS = ['', '-wal', '-shm', '-journal'];

function modeOf(path: string): number | null {
  try {
    return statSync(path).mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Sets `mode` on `path` when it allows more than `mode`; logs what it was. */
function tighten(path: string, mode: number, logger: Logger | undefined): void {
  const was = modeOf(path);
  if (was === null || (was & ~mode & 0o777) === 0) return;
  try {
    chmodSync(path, (was & ~0o777) | mode);
    logger?.warn(
      { path, was: `0${was.toString(8)}`, now: `0${mode.toString(8)}` },
      'data file was readable by others: permissions tightened',
    );
  } catch (err) {
    logger?.error({ err, path }, 'data file is readable by others and its permissions cannot be changed');
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Creates the data directory 0700 (0711 when repo users reach repositories inside it: `repoPath`
 * under it and system accounts managed) and tightens an existing one that is looser, with a warning.
 */
export function secureDataDir(
  dataDir: string,
  opts: { repoPath?: string; accounts?: string; logger?: Logger } = {},
): void {
  const traversed =
    opts.repoPath !== undefined && opts.accounts !== 'none' && isInside(opts.repoPath, dataDir);
  const mode = traversed ? DATA_DIR_TRAVERSE_MODE : DATA_DIR_MODE;
  mkdirSync(dataDir, { recursive: true, mode });
  tighten(dataDir, mode, opts.logger);
}

/**
 * Before SQLite opens `dbPath`: its directory exists (0700 when made here), the database file exists
 * 0600 (SQLite gives the -wal, -shm and -journal files the database file's permissions), and existing
 * files looser than 0600 are tightened with a warning.
 */
export function secureSqliteFiles(dbPath: string, logger?: Logger): void {
  mkdirSync(dirname(dbPath), { recursive: true, mode: DATA_DIR_MODE });
  try {
    closeSync(openSync(dbPath, 'wx', DATA_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  for (const suffix of SQLITE_COMPANIONS) tighten(`${dbPath}${suffix}`, DATA_FILE_MODE, logger);
}
