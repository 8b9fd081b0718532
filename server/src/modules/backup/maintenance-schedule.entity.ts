import type { Opt, Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Repository } from '../repository/index.js';
import { MaintenanceTask } from './backup-enums.js';

@ObjectType({
  simpleResolvers: true,
  description:
    'A COMPACT or CHECK the hive runs on a repository on a cron schedule (never counts as a backup)',
})
@Entity({ tableName: 'maintenance_schedules' })
@Unique({ properties: ['repository', 'task'] })
@Index({ properties: ['nextRunAt'] })
export class MaintenanceSchedule {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Repository, { ref: true, deleteRule: 'cascade' })
  repository!: Ref<Repository>;

  @Field(() => MaintenanceTask)
  @Enum({ items: () => MaintenanceTask })
  task!: MaintenanceTask;

  @Field(() => String, { description: '5-field cron' })
  @Property({ length: 100 })
  schedule!: string;

  @Field(() => String, { description: 'IANA time zone of the schedule' })
  @Property({ type: 'string', length: 64 })
  timezone: string & Opt = 'UTC';

  @Field(() => Date, { nullable: true, description: 'the next start' })
  @Property({ type: 'datetime', length: 3, nullable: true })
  nextRunAt: Date | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date & Opt = new Date();
}
