import { RepositoryMode } from '../repository/index.js';

export interface KeyLineInput {
  mode: RepositoryMode;
  path: string;
  quotaBytes: number | null;
  appendOnly: boolean;
  key: { type: string; keyData: string; comment: string | null };
}

/** Only a conservative comment survives into authorized_keys; anything else is left out. */
const SAFE_COMMENT = /^[A-Za-z0-9 @._+:=,/()-]{1,100}$/;

export function forcedCommand(input: Omit<KeyLineInput, 'key'>): string {
  switch (input.mode) {
    case RepositoryMode.BORG: {
      const parts = ['borg serve --umask 007'];
      if (input.appendOnly) parts.push('--append-only');
      if (input.quotaBytes) parts.push(`--storage-quota ${Math.trunc(input.quotaBytes)}`);
      parts.push(`--restrict-to-repository ${input.path}`);
      return parts.join(' ');
    }
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
  const comment = input.key.comment && SAFE_COMMENT.test(input.key.comment) ? ` ${input.key.comment}` : '';
  return `command="${forcedCommand(input)}",restrict ${input.key.type} ${input.key.keyData}${comment}`;
}
