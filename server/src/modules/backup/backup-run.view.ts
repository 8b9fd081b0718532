import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { BackupRunKind, BackupRunState } from './backup-enums.js';
import type { BackupRun } from './backup-run.entity.js';

@ObjectType({ description: "borg create's counters so far" })
export class BackupProgress {
  @Field(() => Float)
  originalBytes!: number;

  @Field(() => Float)
  compressedBytes!: number;

  @Field(() => Float)
  deduplicatedBytes!: number;

  @Field(() => Int)
  files!: number;

  @Field(() => String, { nullable: true, description: 'the file borg is reading' })
  currentPath!: string | null;
}

/** What every answer and live message says about a run: plain JSON, so it travels between instances. */
@ObjectType('BackupRun', {
  simpleResolvers: true,
  description: 'A backup or maintenance run the hive started',
})
export class BackupRunView {
  @Field(() => ID)
  id!: number;

  @Field(() => BackupRunKind)
  kind!: BackupRunKind;

  @Field(() => BackupRunState)
  state!: BackupRunState;

  jobId!: number | null;
  repositoryId!: number;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Int, { nullable: true })
  exitCode!: number | null;

  @Field(() => String, { nullable: true })
  archiveName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'what happened, in one line (the error when it failed)',
  })
  message!: string | null;

  @Field({ description: 'the log (its tail when long)' })
  log!: string;

  @Field(() => BackupProgress, { nullable: true, description: 'while it runs (and the last counters after)' })
  progress!: BackupProgress | null;

  @Field(() => String, { nullable: true, description: 'borg create --json statistics (JSON text)' })
  statistics!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

export function runView(run: BackupRun, progress: BackupProgress | null = null): BackupRunView {
  const view = new BackupRunView();
  Object.assign(view, {
    id: run.id,
    kind: run.kind,
    state: run.state,
    jobId: run.job?.id ?? null,
    repositoryId: run.repository.id,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    exitCode: run.exitCode,
    archiveName: run.archiveName,
    message: run.message,
    log: run.log,
    progress: progress ?? progressFromStats(run.stats),
    statistics: run.stats ? JSON.stringify(run.stats) : null,
    createdAt: run.createdAt,
  });
  return view;
}

function progressFromStats(stats: Record<string, unknown> | null): BackupProgress | null {
  const s = (stats?.['archive'] as { stats?: Record<string, number> } | undefined)?.stats;
  if (!s) return null;
  return {
    originalBytes: s['original_size'] ?? 0,
    compressedBytes: s['compressed_size'] ?? 0,
    deduplicatedBytes: s['deduplicated_size'] ?? 0,
    files: s['nfiles'] ?? 0,
    currentPath: null,
  };
}

/** A live message travels as JSON: dates become strings on the way (Redis); this restores them. */
export function reviveRunView(raw: BackupRunView): BackupRunView {
  const date = (v: Date | string | null) => (v === null ? null : new Date(v));
  const view = new BackupRunView();
  Object.assign(view, raw, {
    startedAt: date(raw.startedAt),
    finishedAt: date(raw.finishedAt),
    createdAt: new Date(raw.createdAt),
  });
  return view;
}
