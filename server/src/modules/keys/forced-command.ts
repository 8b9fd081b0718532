import { BorgVersion, type KeyRole, RepositoryMode } from '../repository/index.js';

export interface KeyLineInput {
  mode: RepositoryMode;
  borgVersion: BorgVersion;
  /** The programs `serve` is run from (BORGHIVE_BORG1_COMMAND, BORGHIVE_BORG2_COMMAND). */
  commands: { borg1: string; borg2: string };
  path: string;
  quotaBytes: number | null;
  role: KeyRole;
  key: { type: string; keyData: string; comment: string | null };
}

/** Only a conservative comment survives into authorized_keys; anything else is left out. */
const SAFE_COMMENT = /^[A-Za-z0-9 @._+:=,/()-]{1,100}$/;

/** borg2 serve --permissions per key role (borg 2 enforces all four on the server side). */
const BORG2_PERMISSIONS: Record<KeyRole, string> = {
  full: 'all',
  appendOnly: 'no-delete',
  readOnly: 'read-only',
  writeOnly: 'write-only',
};

/**
 * borg 2: the client names the repository with --backend FILE:<path> (an allowlisted option) and borg2
 * serve checks it against --restrict-to-repository; --rest, --umask and --permissions are pinned here and
 * cannot be overridden by the client (borg's denylist). borg2 serve has no --append-only or --storage-quota
 * (the hive enforces a quota at login: see quota.ts in the repository module).
 */
function borg2Serve(input: Omit<KeyLineInput, 'key'>): string {
  return (
    `${input.commands.borg2} serve --rest --umask 007 --restrict-to-repository ${input.path}` +
    ` --permissions ${BORG2_PERMISSIONS[input.role]}`
  );
}

function borg1Serve(input: Omit<KeyLineInput, 'key'>): string {
  // validation refuses read-only and write-only keys on a BORG1 repository; fail closed if one slips by
  if (input.role === 'readOnly' || input.role === 'writeOnly')
    throw new Error(`borg 1 cannot enforce the ${input.role} role`);
  const parts = [`${input.commands.borg1} serve --umask 007`];
  if (input.role === 'appendOnly') parts.push('--append-only');
  if (input.quotaBytes) parts.push(`--storage-quota ${Math.trunc(input.quotaBytes)}`);
  parts.push(`--restrict-to-repository ${input.path}`);
  return parts.join(' ');
}

export function forcedCommand(input: Omit<KeyLineInput, 'key'>): string {
  switch (input.mode) {
    case RepositoryMode.BORG:
      return input.borgVersion === BorgVersion.BORG2 ? borg2Serve(input) : borg1Serve(input);
    case RepositoryMode.IMPORT:
      // -munge: rsync stores every uploaded symlink as a dead one (/rsyncd-munged/...), so nothing in the
      // repository leads outside it; rrsync (3.5.0+) adds --drop-D itself: no devices, FIFOs or sockets
      return `rrsync -wo -munge ${input.path}`;
    case RepositoryMode.EXPORT:
      return `rrsync -ro ${input.path}`;
  }
}

/** One authorized_keys line: the forced command pins the key to one repository; restrict turns off the rest. */
export function authorizedKeyLine(input: KeyLineInput): string {
  return keyLine(forcedCommand(input), input.key);
}

/** `command="<forced>",restrict <key> [comment]`; the command never holds a double quote. */
export function keyLine(command: string, key: KeyLineInput['key']): string {
  const comment = key.comment && SAFE_COMMENT.test(key.comment) ? ` ${key.comment}` : '';
  return `command="${command}",restrict ${key.type} ${key.keyData}${comment}`;
}
