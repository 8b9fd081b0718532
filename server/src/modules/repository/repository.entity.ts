import { BigIntType, Collection, type Opt, type Ref } from '@mikro-orm/core';
import {
  Entity,
  Enum,
  Index,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryKey,
  Property,
  Unique,
} from '@mikro-orm/decorators/legacy';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { RepositoryLocation } from '../location/index.js';
import { SshKey } from '../ssh-key/index.js';
import { Group, User } from '../user/index.js';
import { BorgVersion } from './borg-version.js';
import { RepositoryMode } from './repository-mode.js';
import { RepositoryShare } from './repository-share.entity.js';

/** usageOrder of a repository whose usage is unknown: after every known usage (those are <= 0). */
export const UNKNOWN_USAGE_ORDER = 1;

@ObjectType({ simpleResolvers: true, description: 'A borg repository at <repo path>/<repoUser>/<name>' })
@Entity({ tableName: 'repositories' })
@Unique({ properties: ['owner', 'name'] })
// repositoryPage: one index per order (see repository-page-sql.ts), and the health job's due rows
@Index({ properties: ['healthRank', 'name', 'id'] })
@Index({ properties: ['name', 'id'] })
@Index({ properties: ['lastBackupAt', 'name', 'id'] })
@Index({ properties: ['usageOrder', 'name', 'id'] })
@Index({ properties: ['healthUntil'] })
// repositorySummary: counts and usage per state, read from this index alone
@Index({ properties: ['healthRank', 'usageBytes'] })
// repositoryPage's search: the ids of the matches read from this narrow index instead of the rows
@Index({ properties: ['name', 'repoUser', 'owner'] })
export class Repository {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field()
  // binary (ASCII) order and comparison in both dialects: MariaDB's column is utf8mb4_bin (migration)
  @Property({ length: 64, ignoreSchemaChanges: ['collation'] })
  name!: string;

  @Field({ description: 'the system user sshd logs the borg client in as (8 characters [a-z0-9])' })
  @Property({ unique: true, length: 8 })
  repoUser!: string;

  @Field(() => Int)
  @Property({ unique: true })
  uid!: number;

  @Field(() => Int)
  @Property()
  gid!: number;

  @ManyToOne(() => RepositoryLocation, { ref: true })
  location!: Ref<RepositoryLocation>;

  @Field(() => RepositoryMode)
  @Enum({ items: () => RepositoryMode })
  mode: RepositoryMode & Opt = RepositoryMode.BORG;

  @Field(() => BorgVersion, { description: 'chosen at creation; a repository found on disk by its layout' })
  @Enum({ items: () => BorgVersion, default: BorgVersion.BORG1 })
  borgVersion: BorgVersion & Opt = BorgVersion.BORG1;

  @ManyToMany(() => SshKey, undefined, { pivotTable: 'repository_ssh_keys' })
  sshKeys = new Collection<SshKey>(this);

  @ManyToMany(() => SshKey, undefined, { pivotTable: 'repository_append_only_keys' })
  appendOnlySshKeys = new Collection<SshKey>(this);

  /** BORG2 only: borg2 serve --permissions read-only. */
  @ManyToMany(() => SshKey, undefined, { pivotTable: 'repository_read_only_keys' })
  readOnlySshKeys = new Collection<SshKey>(this);

  /** BORG2 only: borg2 serve --permissions write-only. */
  @ManyToMany(() => SshKey, undefined, { pivotTable: 'repository_write_only_keys' })
  writeOnlySshKeys = new Collection<SshKey>(this);

  @Field(() => Float, { nullable: true, description: 'borg serve --storage-quota in bytes' })
  @Property({ type: new BigIntType('number'), nullable: true })
  quotaBytes: number | null = null;

  @Field(() => Int, { nullable: true, description: 'alert when the last backup is older than this' })
  @Property({ type: 'integer', nullable: true })
  alertAfterDays: number | null = null;

  @ManyToOne(() => User, { ref: true })
  owner!: Ref<User>;

  /** The groups it is shared with (read-only here: shares are written through `shares`, which carry the role). */
  @ManyToMany({ entity: () => Group, pivotEntity: () => RepositoryShare })
  groups = new Collection<Group>(this);

  @OneToMany(() => RepositoryShare, (s) => s.repository)
  shares = new Collection<RepositoryShare>(this);

  @Field(() => Boolean, {
    description: 'a borg client holds the exclusive lock (a write session is running)',
  })
  @Property({ type: 'boolean' })
  isOpen: boolean & Opt = false;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', length: 3, nullable: true })
  lastAccessAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'newest index.* seen on disk: the last committed write' })
  @Property({ type: 'datetime', length: 3, nullable: true })
  lastUpdatedAt: Date | null = null;

  /**
   * The last COMPACT or CHECK run of the hive on this repository: from its start to its end (null while
   * it runs). A commit the watcher sees inside it is maintenance, not a backup: it leaves lastUpdatedAt.
   */
  @Property({ type: 'datetime', length: 3, nullable: true })
  maintenanceStartedAt: Date | null = null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  maintenanceFinishedAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'last successful backup reported through the ping URL' })
  @Property({ type: 'datetime', nullable: true })
  lastPingSuccessAt: Date | null = null;

  /** The last failure reported through the ping URL (/fail or a non-zero exit status). */
  @Property({ type: 'datetime', length: 3, nullable: true })
  lastPingFailureAt: Date | null = null;

  /** The exit status of that failure; null for /fail. */
  @Property({ type: 'integer', nullable: true })
  lastPingFailureStatus: number | null = null;

  /** The last ping /start. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  lastPingStartAt: Date | null = null;

  /**
   * Stored by HealthStore alone, from the columns above (see health.ts): the last backup (lastBackupAt of
   * alert-schedule), the ATTENTION rank of the health state and when that state next changes by the
   * clock alone (the health job recomputes rows whose time has come).
   */
  @Property({ type: 'datetime', length: 3, nullable: true })
  lastBackupAt: Date | null = null;

  @Property({ type: 'integer' })
  healthRank: number & Opt = 2;

  @Property({ type: 'datetime', length: 3, nullable: true })
  healthUntil: Date | null = null;

  /**
   * USAGE order as one ascending key (largest first, unknown last): -usageBytes, or UNKNOWN_USAGE_ORDER
   * when the usage is unknown. (An index `usage_bytes DESC, name, id` would do, but MikroORM's MariaDB
   * schema diff misreads descending index columns.) Stored by HealthStore with the health columns.
   */
  @Property({ type: new BigIntType('number'), defaultRaw: '1' })
  usageOrder: number & Opt = UNKNOWN_USAGE_ORDER;

  @Field(() => Int, {
    nullable: true,
    description: 'BORG2: archives in archives/, counted without the key (null for borg 1 and before a refresh)',
  })
  @Property({ type: 'integer', nullable: true })
  archiveCount: number | null = null;

  @Field(() => Float, { nullable: true, description: 'bytes on disk, as du -sb counts them' })
  @Property({ type: new BigIntType('number'), nullable: true })
  usageBytes: number | null = null;

  @Field(() => Date, { nullable: true, description: 'when the newest stale-backup alert was sent' })
  @Property({ type: 'datetime', length: 3, nullable: true })
  lastAlertAt: Date | null = null;

  /** When the newest "recovered" message was sent (answers lastAlertAt). */
  @Property({ type: 'datetime', length: 3, nullable: true })
  lastRecoveredAt: Date | null = null;

  /** Staleness as the last stale check saw it: a change by the clock alone publishes repositoryChanged. */
  @Property({ type: 'boolean' })
  staleObserved: boolean & Opt = false;

  @Index()
  @Property({ unique: true, length: 36 })
  pingUuid!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
