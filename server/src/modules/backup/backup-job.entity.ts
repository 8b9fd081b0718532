import type { Opt, Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Repository } from '../repository/index.js';
import { User } from '../user/index.js';
import { BackupClient } from './backup-client.entity.js';
import { BackupMethod } from './backup-enums.js';

@ObjectType({
  simpleResolvers: true,
  description: 'What to back up from a client into a repository, and when',
})
@Entity({ tableName: 'backup_jobs' })
export class BackupJob {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field()
  @Property({ length: 100 })
  name!: string;

  @ManyToOne(() => BackupClient, { ref: true, deleteRule: 'cascade' })
  client!: Ref<BackupClient>;

  @ManyToOne(() => Repository, { ref: true, deleteRule: 'cascade' })
  repository!: Ref<Repository>;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  owner!: Ref<User>;

  @Field(() => [String])
  @Property({ type: 'json' })
  paths!: string[];

  @Field(() => [String])
  @Property({ type: 'json' })
  excludes: string[] & Opt = [];

  @Field(() => String, {
    description: "borg's archive name with placeholders, e.g. {hostname}-{now:%Y-%m-%dT%H:%M:%S}",
  })
  @Property({ type: 'string', length: 200 })
  archiveNamePattern: string & Opt = '{hostname}-{now:%Y-%m-%dT%H:%M:%S}';

  @Field(() => String, { description: "borg's --compression, e.g. lz4, zstd,3" })
  @Property({ type: 'string', length: 40 })
  compression: string & Opt = 'lz4';

  @Field(() => String, { nullable: true, description: '5-field cron; null: only when asked' })
  @Property({ length: 100, nullable: true })
  schedule: string | null = null;

  @Field(() => String, { description: 'IANA time zone of the schedule' })
  @Property({ type: 'string', length: 64 })
  timezone: string & Opt = 'UTC';

  @Field(() => Int, { description: 'seconds a scheduled start may be delayed at random (spreads load)' })
  @Property({ type: 'integer' })
  jitterSeconds: number & Opt = 0;

  /** `{ keepDaily, keepWeekly, keepMonthly, keepYearly }` or null: no prune. */
  @Property({ type: 'json', nullable: true })
  retention: Record<string, number> | null = null;

  @Field(() => BackupMethod)
  @Enum({ items: () => BackupMethod })
  method: BackupMethod & Opt = BackupMethod.AGENT_FORWARDING;

  /** Sealed with the secret box; write-only (hasPassphrase tells whether one is set). */
  @Property({ type: 'text', nullable: true, lazy: true })
  passphraseSealed: string | null = null;

  @Field(() => Date, { nullable: true })
  @Index()
  @Property({ type: 'datetime', nullable: true })
  nextRunAt: Date | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
