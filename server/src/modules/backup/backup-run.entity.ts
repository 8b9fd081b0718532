import type { Opt, Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Repository } from '../repository/index.js';
import { BackupJob } from './backup-job.entity.js';
import { BackupRunKind, BackupRunState } from './backup-enums.js';

/** One backup or maintenance run; its GraphQL face is BackupRunView (also what live messages carry). */
@Entity({ tableName: 'backup_runs' })
@Index({ properties: ['repository', 'createdAt'] })
@Index({ properties: ['state'] })
export class BackupRun {
  @PrimaryKey()
  id!: number;

  @Enum({ items: () => BackupRunKind })
  kind!: BackupRunKind;

  @Enum({ items: () => BackupRunState })
  state: BackupRunState & Opt = BackupRunState.QUEUED;

  @ManyToOne(() => BackupJob, { ref: true, nullable: true, deleteRule: 'set null' })
  job: Ref<BackupJob> | null = null;

  @ManyToOne(() => Repository, { ref: true, deleteRule: 'cascade' })
  repository!: Ref<Repository>;

  @Property({ type: 'datetime', length: 3, nullable: true })
  startedAt: Date | null = null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  finishedAt: Date | null = null;

  @Property({ type: 'integer', nullable: true })
  exitCode: number | null = null;

  @Property({ length: 200, nullable: true })
  archiveName: string | null = null;

  @Property({ length: 1000, nullable: true })
  message: string | null = null;

  /** The run's log, bounded (the tail is kept). */
  @Property({ type: 'text', lazy: true })
  log: string & Opt = '';

  /** borg create --json's archive statistics, as borg printed them. */
  @Property({ type: 'json', nullable: true })
  stats: Record<string, unknown> | null = null;

  /** SshKey id of the run's temporary append-only key while it exists (removed at the end, or at start-up). */
  @Property({ type: 'integer', nullable: true })
  runKeyId: number | null = null;

  /** Which hive instance runs it and until when its lease holds (renewed while it runs). */
  @Property({ length: 64, nullable: true })
  leaseOwner: string | null = null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  leaseUntil: Date | null = null;

  /**
   * `<host> <pid>...`: the process groups (ssh, ssh-agent, socat) the run started, so that the hive that
   * recovers a run of a dead hive on the same host can stop what is left of it.
   */
  @Property({ length: 255, nullable: true })
  processGroups: string | null = null;

  /** Set when someone asked to cancel; the instance running it stops it. */
  @Property({ type: 'boolean' })
  cancelRequested: boolean & Opt = false;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date & Opt = new Date();
}
