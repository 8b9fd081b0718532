import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { BadUserInputError, NotFoundError, type FieldProblem } from '../../graphql/errors.js';
import { parseId } from '../../graphql/context.js';
import type { SecretBox } from '../../security/secret-box.js';
import { canAccess, type AuthInfo } from '../auth/index.js';
import { RepositoryAction, RepositoryMode, type RepositoryService } from '../repository/index.js';
import { User } from '../user/index.js';
import type { BackupClientService } from './backup-client.service.js';
import { BackupMethod } from './backup-enums.js';
import { BackupJob } from './backup-job.entity.js';
import type { BackupJobInput, BackupJobUpdateInput, RetentionInput } from './backup.inputs.js';
import { nextRuns, scheduleProblem } from './schedule.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;
/** borg's archive name placeholders are fine; no path separators, no shell-looking characters matter (quoted) */
const ARCHIVE_PATTERN = /^[A-Za-z0-9{}:%._+-]{1,200}$/;
const COMPRESSION = /^(none|lz4|zstd(,[0-9]{1,2})?|zlib(,[0-9])?|lzma(,[0-9])?|auto,[a-z0-9,]+)$/;
const MAX_PATHS = 100;

function pathProblems(field: string, values: readonly string[], required: boolean): FieldProblem[] {
  if (required && values.length === 0) return [{ field, message: 'at least one path' }];
  if (values.length > MAX_PATHS) return [{ field, message: `at most ${MAX_PATHS}` }];
  const bad = values.find(
    (p) => p.length === 0 || p.length > 4096 || /[\0\n\r]/.test(p) || p.startsWith('-'),
  );
  return bad === undefined
    ? []
    : [{ field, message: `not a usable path: ${JSON.stringify(bad.slice(0, 80))}` }];
}

function retentionOf(
  input: RetentionInput | null | undefined,
  problems: FieldProblem[],
): Record<string, number> | null {
  if (!input) return null;
  const out: Record<string, number> = {};
  for (const key of ['keepDaily', 'keepWeekly', 'keepMonthly', 'keepYearly'] as const) {
    const v = input[key];
    if (v == null) continue;
    if (!Number.isInteger(v) || v < 0 || v > 10_000)
      problems.push({ field: `retention.${key}`, message: '0..10000' });
    else if (v > 0) out[key] = v;
  }
  return Object.keys(out).length ? out : null;
}

export class BackupJobService {
  constructor(
    private readonly repositories: RepositoryService,
    private readonly clients: BackupClientService,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  list(em: Em, auth: AuthInfo): Promise<BackupJob[]> {
    const where = auth.isAdmin ? {} : { owner: auth.userId };
    return em.find(BackupJob, where, { orderBy: { name: 'asc', id: 'asc' } });
  }

  async get(em: Em, auth: AuthInfo, id: number): Promise<BackupJob> {
    const job = await em.findOne(BackupJob, { id });
    if (!job || !canAccess(auth, { ownerId: job.owner.id, groupIds: [] }))
      throw new NotFoundError('backup job', id);
    return job;
  }

  async create(em: Em, auth: AuthInfo, input: BackupJobInput): Promise<BackupJob> {
    const problems: FieldProblem[] = [];
    const name = input.name?.trim() ?? '';
    if (!NAME.test(name)) problems.push({ field: 'name', message: '1-100 letters, digits, space . _ -' });
    problems.push(
      ...pathProblems('paths', input.paths ?? [], true),
      ...pathProblems('excludes', input.excludes ?? [], false),
    );
    const fields = this.commonFields(input, problems);
    if (problems.length) throw BadUserInputError.fromProblems(problems);
    const client = await this.clients.get(em, auth, parseId(input.clientId, 'backup client'));
    const repo = await this.repositories.getFor(
      em,
      auth,
      parseId(input.repositoryId, 'repository'),
      RepositoryAction.OPERATE,
    );
    if (repo.mode !== RepositoryMode.BORG) {
      throw BadUserInputError.fromProblems([
        {
          field: 'repositoryId',
          message: `repository ${repo.name} is in ${repo.mode} mode: only BORG repositories take backups`,
        },
      ]);
    }
    const job = em.create(BackupJob, {
      name,
      client,
      repository: repo,
      owner: em.getReference(User, auth.userId),
      paths: [...input.paths],
      excludes: [...(input.excludes ?? [])],
      ...fields,
      createdAt: this.clock.now(),
    });
    job.nextRunAt = this.nextRunAfter(job, this.clock.now());
    await em.flush();
    return job;
  }

  async update(em: Em, auth: AuthInfo, id: number, input: BackupJobUpdateInput): Promise<BackupJob> {
    const job = await this.get(em, auth, id);
    const problems: FieldProblem[] = [];
    if (input.name != null && !NAME.test(input.name.trim()))
      problems.push({ field: 'name', message: '1-100 letters, digits, space . _ -' });
    if (input.paths != null) problems.push(...pathProblems('paths', input.paths, true));
    if (input.excludes != null) problems.push(...pathProblems('excludes', input.excludes, false));
    const merged = {
      schedule:
        input.schedule === undefined || input.schedule === null
          ? job.schedule
          : input.schedule.trim() || null,
      timezone: input.timezone ?? job.timezone,
      jitterSeconds: input.jitterSeconds ?? job.jitterSeconds,
      archiveNamePattern: input.archiveNamePattern ?? job.archiveNamePattern,
      compression: input.compression ?? job.compression,
      method: input.method ?? job.method,
      passphrase: input.passphrase,
      retention: input.retention,
    };
    const fields = this.commonFields(merged, problems);
    if (problems.length) throw BadUserInputError.fromProblems(problems);
    if (input.name != null) job.name = input.name.trim();
    if (input.paths != null) job.paths = [...input.paths];
    if (input.excludes != null) job.excludes = [...input.excludes];
    if (input.retention === undefined) delete (fields as { retention?: unknown }).retention;
    if (input.passphrase == null) delete (fields as { passphraseSealed?: unknown }).passphraseSealed;
    Object.assign(job, fields);
    job.nextRunAt = this.nextRunAfter(job, this.clock.now());
    await em.flush();
    return job;
  }

  async delete(em: Em, auth: AuthInfo, id: number): Promise<boolean> {
    const job = await this.get(em, auth, id);
    await em.remove(job).flush();
    return true;
  }

  /** The job's passphrase, opened; only for the run executor. */
  async passphraseOf(em: Em, job: BackupJob): Promise<string | null> {
    await em.populate(job, ['passphraseSealed']);
    return job.passphraseSealed === null ? null : this.secrets.open(job.passphraseSealed);
  }

  /** The next scheduled start after `from` (without jitter), or null without a schedule. */
  nextRunAfter(job: Pick<BackupJob, 'schedule' | 'timezone'>, from: Date): Date | null {
    return job.schedule ? (nextRuns(job.schedule, job.timezone, from, 1)[0] ?? null) : null;
  }

  private commonFields(
    input: {
      schedule?: string | null;
      timezone?: string | null;
      jitterSeconds?: number | null;
      retention?: RetentionInput | null;
      method?: BackupMethod | null;
      passphrase?: string | null;
      archiveNamePattern?: string | null;
      compression?: string | null;
    },
    problems: FieldProblem[],
  ) {
    const schedule = input.schedule?.trim() || null;
    const timezone = input.timezone?.trim() || 'UTC';
    if (schedule !== null || input.timezone) {
      const problem = scheduleProblem(schedule ?? '* * * * *', timezone);
      if (problem) problems.push(problem);
    }
    const jitterSeconds = input.jitterSeconds ?? 0;
    if (!Number.isInteger(jitterSeconds) || jitterSeconds < 0 || jitterSeconds > 3600)
      problems.push({ field: 'jitterSeconds', message: '0..3600' });
    const archiveNamePattern = input.archiveNamePattern?.trim() || '{hostname}-{now:%Y-%m-%dT%H:%M:%S}';
    if (!ARCHIVE_PATTERN.test(archiveNamePattern))
      problems.push({
        field: 'archiveNamePattern',
        message: 'letters, digits, {} : % . _ + - (borg placeholders)',
      });
    const compression = input.compression?.trim() || 'lz4';
    if (!COMPRESSION.test(compression))
      problems.push({ field: 'compression', message: 'none, lz4, zstd[,N], zlib[,N], lzma[,N]' });
    const passphrase = input.passphrase ?? null;
    if (passphrase !== null && (/[\r\n\0]/.test(passphrase) || passphrase.length > 1024))
      problems.push({ field: 'passphrase', message: 'one line, at most 1024 characters' });
    return {
      schedule,
      timezone,
      jitterSeconds,
      archiveNamePattern,
      compression,
      method: input.method ?? BackupMethod.AGENT_FORWARDING,
      retention: retentionOf(input.retention, problems),
      passphraseSealed: passphrase ? this.secrets.seal(passphrase) : null,
    };
  }
}
