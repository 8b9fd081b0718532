import { BorgVersion, type KeyRole } from './borg-version.js';
import { RepositoryMode } from './repository-mode.js';

/** What the quota decision is made from: stored columns of a repository (usage as last measured). */
export interface QuotaFacts {
  mode: RepositoryMode;
  borgVersion: BorgVersion;
  quotaBytes: number | null;
  usageBytes: number | null;
}

/** Who holds a repository to its quota: borg 1 itself (`borg serve --storage-quota`) or the hive at login. */
export type QuotaEnforcer = 'borg' | 'hive';

/**
 * borg 1's serve enforces a quota while it writes; borg2 serve and rrsync have none, so the hive
 * enforces it at login from the usage measured after the last session.
 */
export function quotaEnforcer(mode: RepositoryMode, version: BorgVersion): QuotaEnforcer {
  return mode === RepositoryMode.BORG && version === BorgVersion.BORG1 ? 'borg' : 'hive';
}

/** A repository the hive holds to its quota has used it up: its writing logins are refused. */
export interface QuotaExceeded {
  usedBytes: number;
  quotaBytes: number;
}

/**
 * The hive's half of the quota: a repository it enforces one on, whose last measured usage has reached
 * the quota, and that a writer could add to (an EXPORT repository is only read from over ssh). Null:
 * logins go ahead (no quota, borg 1 enforces it, not measured yet, or under it).
 */
export function quotaExceeded(facts: QuotaFacts): QuotaExceeded | null {
  if (facts.quotaBytes === null || facts.usageBytes === null) return null;
  if (quotaEnforcer(facts.mode, facts.borgVersion) !== 'hive') return null;
  if (facts.mode === RepositoryMode.EXPORT) return null;
  if (facts.usageBytes < facts.quotaBytes) return null;
  return { usedBytes: facts.usageBytes, quotaBytes: facts.quotaBytes };
}

/**
 * Whether a login with this role is refused while the quota is used up: every role that can write is
 * (borg 2's all, no-delete and write-only; rsync IMPORT); reading never is, so a restore stays possible.
 */
export function refusedOverQuota(mode: RepositoryMode, role: KeyRole): boolean {
  if (mode === RepositoryMode.EXPORT) return false;
  return role !== 'readOnly';
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes as people read them (decimal units, as `borg info` and `du --si` print them). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${UNITS[unit]}`;
}

/** The reason given in the hive (health, events) and, through borg-hive-keys, on the client. */
export function quotaReason(over: QuotaExceeded): string {
  return (
    `over its quota: ${formatBytes(over.usedBytes)} used of ${formatBytes(over.quotaBytes)}; ` +
    'logins that write are refused until the quota is raised or space is freed'
  );
}
