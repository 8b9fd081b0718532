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
import { RepositoryMode } from './repository-mode.js';
import { RepositoryShare } from './repository-share.entity.js';

@ObjectType({ simpleResolvers: true, description: 'A borg repository at <repo path>/<repoUser>/<name>' })
@Entity({ tableName: 'repositories' })
@Unique({ properties: ['owner', 'name'] })
export class Repository {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field()
  @Property({ length: 64 })
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

  @ManyToMany(() => SshKey, undefined, { pivotTable: 'repository_ssh_keys' })
  sshKeys = new Collection<SshKey>(this);

  @ManyToMany(() => SshKey, undefined, { pivotTable: 'repository_append_only_keys' })
  appendOnlySshKeys = new Collection<SshKey>(this);

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

  @Field(() => Date, { nullable: true, description: 'last successful backup reported through the ping URL' })
  @Property({ type: 'datetime', nullable: true })
  lastPingSuccessAt: Date | null = null;

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
