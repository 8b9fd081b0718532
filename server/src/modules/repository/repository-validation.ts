import { MAX_ALERT_AFTER_DAYS } from '@borg-hive/rules';
import type { Em } from '../../db/orm.js';
import { BadUserInputError, type FieldProblem } from '../../graphql/errors.js';
import type { AuthInfo } from '../auth/index.js';
import { RepositoryLocation } from '../location/index.js';
import { SshKey } from '../ssh-key/index.js';
import { Group } from '../user/index.js';
import { BorgVersion, rolesOf } from './borg-version.js';
import type { RepositoryMode } from './repository-mode.js';
import type { Repository } from './repository.entity.js';
import type { CreateRepositoryInput, UpdateRepositoryInput } from './repository.inputs.js';
import { ShareRole } from './share-role.js';

export interface ValidRepositoryInput {
  location?: RepositoryLocation;
  mode?: RepositoryMode;
  sshKeys?: SshKey[];
  appendOnlySshKeys?: SshKey[];
  readOnlySshKeys?: SshKey[];
  writeOnlySshKeys?: SshKey[];
  /** Only on create. */
  borgVersion?: BorgVersion;
  /** The groups it is to be shared with, each once, with its role. */
  shares?: { group: Group; role: ShareRole }[];
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

/**
 * Keys the caller may attach: its own (an admin: any), and those already in this list of the repository,
 * so a manager can keep what the owner attached. A key shared with the caller's groups is not enough: a
 * key opens the repository for its owner, who must choose to attach it.
 */
async function usableKeys(
  em: Em,
  auth: AuthInfo,
  keyIds: number[],
  attached: readonly SshKey[],
  field: string,
  problems: FieldProblem[],
) {
  if (keyIds.length === 0) return [];
  const keys = await em.find(SshKey, { id: { $in: keyIds }, internal: false });
  const usable = keys.filter(
    (k) => auth.isAdmin || k.owner.id === auth.userId || attached.some((a) => a.id === k.id),
  );
  const missing = keyIds.filter((id) => !usable.some((k) => k.id === id));
  if (missing.length > 0)
    problems.push({ field, message: `no ssh key of yours with id ${missing.join(', ')}` });
  return usable;
}

async function validShares(
  em: Em,
  auth: AuthInfo,
  input: CreateRepositoryInput | UpdateRepositoryInput,
  current: Repository | null,
  problems: FieldProblem[],
): Promise<{ group: Group; role: ShareRole }[] | undefined> {
  if (input.groupIds != null && input.shares != null) {
    problems.push({ field: 'shares', message: 'give shares or groupIds, not both' });
    return undefined;
  }
  const field = input.shares != null ? 'shares' : 'groupIds';
  const wanted =
    input.shares?.map((s) => ({ raw: s.groupId, role: s.role })) ??
    input.groupIds?.map((raw) => ({ raw, role: ShareRole.VIEW }));
  if (wanted === undefined) return undefined;
  const roles = new Map<number, ShareRole>();
  for (const id of ids(
    wanted.map((w) => w.raw),
    field,
    problems,
  )) {
    const roleSet = new Set(wanted.filter((w) => Number(w.raw) === id).map((w) => w.role));
    if (roleSet.size > 1) problems.push({ field, message: `group ${id} is given two roles` });
    roles.set(id, [...roleSet][0] ?? ShareRole.VIEW);
  }
  const groupIds = [...roles.keys()];
  const groups = groupIds.length ? await em.find(Group, { id: { $in: groupIds } }) : [];
  // a group it is shared with already may stay (an admin may have shared it with a group the owner is not in)
  const already = (g: Group) => current?.groups.getItems().some((c) => c.id === g.id) ?? false;
  const allowed = groups.filter((g) => auth.isAdmin || auth.groupIds.includes(g.id) || already(g));
  const missing = groupIds.filter((id) => !allowed.some((g) => g.id === id));
  if (missing.length)
    problems.push({ field, message: `you are not a member of group ${missing.join(', ')}` });
  return allowed.map((group) => ({ group, role: roles.get(group.id) ?? ShareRole.VIEW }));
}

/**
 * A key role the repository's borg cannot enforce is refused rather than silently widened: borg 1's
 * serve has no read-only or write-only mode, so such a key would get full access.
 */
function roleProblem(
  current: Pick<Repository, 'borgVersion' | 'readOnlySshKeys' | 'writeOnlySshKeys'> | undefined,
  valid: ValidRepositoryInput,
): FieldProblem | undefined {
  const version = valid.borgVersion ?? current?.borgVersion ?? BorgVersion.BORG1;
  if (rolesOf(version).includes('readOnly')) return undefined;
  for (const [field, list] of [
    ['readOnlySshKeyIds', 'readOnlySshKeys'],
    ['writeOnlySshKeyIds', 'writeOnlySshKeys'],
  ] as const) {
    const keys = valid[list] ?? current?.[list].getItems() ?? [];
    if (keys.length > 0) {
      const role = field === 'readOnlySshKeyIds' ? 'read-only' : 'write-only';
      return {
        field,
        message: `borg 1 cannot enforce ${role} access (borg serve has no such mode): use a BORG2 repository, or give the key full or append-only access`,
      };
    }
  }
  return undefined;
}

/**
 * Checks every field at once and resolves ids to objects the caller may use; on create (`current`
 * null), absent fields take their defaults. Throws BAD_USER_INPUT listing every problem.
 */
export async function validateRepositoryInput(
  em: Em,
  auth: AuthInfo,
  input: CreateRepositoryInput | UpdateRepositoryInput,
  current: Repository | null,
): Promise<ValidRepositoryInput> {
  const creating = current === null;
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
    const keyIds = ids(input.sshKeyIds, 'sshKeyIds', problems);
    const attached = current?.sshKeys.getItems() ?? [];
    out.sshKeys = await usableKeys(em, auth, keyIds, attached, 'sshKeyIds', problems);
  }
  if (input.appendOnlySshKeyIds != null) {
    const keyIds = ids(input.appendOnlySshKeyIds, 'appendOnlySshKeyIds', problems);
    const attached = current?.appendOnlySshKeys.getItems() ?? [];
    out.appendOnlySshKeys = await usableKeys(em, auth, keyIds, attached, 'appendOnlySshKeyIds', problems);
  }
  for (const [field, list] of [
    ['readOnlySshKeyIds', 'readOnlySshKeys'],
    ['writeOnlySshKeyIds', 'writeOnlySshKeys'],
  ] as const) {
    const raw = input[field];
    if (raw == null) continue;
    const attached = current?.[list].getItems() ?? [];
    out[list] = await usableKeys(em, auth, ids(raw, field, problems), attached, field, problems);
  }
  if (creating) out.borgVersion = (input as CreateRepositoryInput).borgVersion ?? BorgVersion.BORG1;
  const roles = roleProblem(current ?? undefined, out);
  if (roles) problems.push(roles);
  out.shares = await validShares(em, auth, input, current, problems);
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
    if (!Number.isInteger(d) || d < 0 || d > MAX_ALERT_AFTER_DAYS) {
      const message = `whole days from 1 to ${MAX_ALERT_AFTER_DAYS}, or 0 for no alerts`;
      problems.push({ field: 'alertAfterDays', message });
    } else out.alertAfterDays = d === 0 ? null : d;
  } else if (creating) out.alertAfterDays = null;
  if (problems.length > 0) throw BadUserInputError.fromProblems(problems);
  return out;
}
