import type { Em } from '../../db/orm.js';
import { BadUserInputError, type FieldProblem } from '../../graphql/errors.js';
import { canAccess, shareableOf, type AuthInfo } from '../auth/auth-info.js';
import { RepositoryLocation } from '../location/location.entity.js';
import { SshKey } from '../ssh-key/ssh-key.entity.js';
import { Group } from '../user/group.entity.js';
import { RepositoryMode } from './repository-mode.js';
import type { Repository } from './repository.entity.js';
import type { CreateRepositoryInput, UpdateRepositoryInput } from './repository.inputs.js';

export interface ValidRepositoryInput {
  location?: RepositoryLocation;
  mode?: RepositoryMode;
  sshKeys?: SshKey[];
  appendOnlySshKeys?: SshKey[];
  groups?: Group[];
  /** undefined: leave as is; null: none. */
  quotaBytes?: number | null;
  alertAfterDays?: number | null;
}

const MAX_QUOTA = Number.MAX_SAFE_INTEGER;

function ids(raw: readonly string[], field: string, problems: FieldProblem[]): number[] {
  const out: number[] = [];
  for (const r of raw) {
    if (!/^\d{1,10}$/.test(r)) problems.push({ field, message: `"${r.slice(0, 20)}" is not an id` });
    else out.push(Number(r));
  }
  if (raw.length > 1000) problems.push({ field, message: 'at most 1000 entries' });
  return [...new Set(out)];
}

async function visibleKeys(
  em: Em,
  auth: AuthInfo,
  keyIds: number[],
  field: string,
  problems: FieldProblem[],
) {
  if (keyIds.length === 0) return [];
  const keys = await em.find(SshKey, { id: { $in: keyIds } }, { populate: ['groups'] });
  const visible = keys.filter((k) => canAccess(auth, shareableOf(k)));
  const missing = keyIds.filter((id) => !visible.some((k) => k.id === id));
  if (missing.length > 0)
    problems.push({ field, message: `no ssh key you may use with id ${missing.join(', ')}` });
  return visible;
}

const RSYNC_QUOTA =
  'IMPORT and EXPORT repositories are written by rsync (rrsync), which no quota limits: ' +
  "borg serve's --storage-quota applies to BORG repositories only. Leave quotaBytes at 0 (none)";

/**
 * A quota the hive could not enforce is refused: set on an IMPORT or EXPORT repository, or kept by a
 * change of mode to one. A repository that already has one keeps it while neither changes.
 */
function rsyncQuotaProblem(
  current: Pick<Repository, 'mode' | 'quotaBytes'> | undefined,
  valid: ValidRepositoryInput,
): FieldProblem | undefined {
  const mode = valid.mode ?? current?.mode ?? RepositoryMode.BORG;
  if (mode === RepositoryMode.BORG) return undefined;
  if (valid.quotaBytes != null) return { field: 'quotaBytes', message: RSYNC_QUOTA };
  const modeChanged = current !== undefined && valid.mode !== undefined && valid.mode !== current.mode;
  if (modeChanged && valid.quotaBytes === undefined && current.quotaBytes != null) {
    return {
      field: 'mode',
      message: `${RSYNC_QUOTA}; this repository has one: change the mode with quotaBytes: 0`,
    };
  }
  return undefined;
}

/**
 * Checks every field at once and resolves ids to objects the caller may use; on create (`current`
 * undefined), absent fields take their defaults. Throws BAD_USER_INPUT listing every problem.
 */
export async function validateRepositoryInput(
  em: Em,
  auth: AuthInfo,
  input: CreateRepositoryInput | UpdateRepositoryInput,
  current?: Pick<Repository, 'mode' | 'quotaBytes'>,
): Promise<ValidRepositoryInput> {
  const creating = current === undefined;
  const problems: FieldProblem[] = [];
  const out: ValidRepositoryInput = {};
  if (input.locationId != null) {
    const id = /^\d{1,10}$/.test(input.locationId) ? Number(input.locationId) : 0;
    const loc = id ? await em.findOne(RepositoryLocation, { id }) : null;
    if (!loc) problems.push({ field: 'locationId', message: `no location with id ${input.locationId}` });
    else out.location = loc;
  }
  if (input.mode != null) out.mode = input.mode;
  if (input.sshKeyIds != null) {
    out.sshKeys = await visibleKeys(
      em,
      auth,
      ids(input.sshKeyIds, 'sshKeyIds', problems),
      'sshKeyIds',
      problems,
    );
  }
  if (input.appendOnlySshKeyIds != null) {
    const keyIds = ids(input.appendOnlySshKeyIds, 'appendOnlySshKeyIds', problems);
    out.appendOnlySshKeys = await visibleKeys(em, auth, keyIds, 'appendOnlySshKeyIds', problems);
  }
  if (input.groupIds != null) {
    const groupIds = ids(input.groupIds, 'groupIds', problems);
    const groups = groupIds.length ? await em.find(Group, { id: { $in: groupIds } }) : [];
    const allowed = groups.filter((g) => auth.isAdmin || auth.groupIds.includes(g.id));
    const missing = groupIds.filter((id) => !allowed.some((g) => g.id === id));
    if (missing.length)
      problems.push({ field: 'groupIds', message: `you are not a member of group ${missing.join(', ')}` });
    out.groups = allowed;
  }
  if (input.quotaBytes != null) {
    const q = input.quotaBytes;
    if (!Number.isInteger(q) || q < 0 || q > MAX_QUOTA) {
      problems.push({ field: 'quotaBytes', message: 'a whole number of bytes, 0 for no quota' });
    } else if (q > 0 && q < 10 * 1024 * 1024) {
      problems.push({
        field: 'quotaBytes',
        message: 'borg needs room for its own files: at least 10 MiB (10485760)',
      });
    } else out.quotaBytes = q === 0 ? null : q;
  } else if (creating) out.quotaBytes = null;
  if (input.alertAfterDays != null) {
    const d = input.alertAfterDays;
    if (!Number.isInteger(d) || d < 0 || d > 3650) {
      problems.push({ field: 'alertAfterDays', message: 'whole days from 1 to 3650, or 0 for no alerts' });
    } else out.alertAfterDays = d === 0 ? null : d;
  } else if (creating) out.alertAfterDays = null;
  const quota = rsyncQuotaProblem(current, out);
  if (quota) problems.push(quota);
  if (problems.length > 0) throw BadUserInputError.fromProblems(problems);
  return out;
}
