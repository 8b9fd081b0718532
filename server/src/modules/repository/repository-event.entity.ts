import type { Opt, Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Repository } from './repository.entity.js';
import { RepositoryEventType } from './repository-event-type.js';

@ObjectType({ simpleResolvers: true, description: 'Something that happened to a repository' })
@Entity({ tableName: 'repository_events' })
@Index({ properties: ['repository', 'createdAt'] })
export class RepositoryEvent {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Repository, { ref: true, deleteRule: 'cascade' })
  repository!: Ref<Repository>;

  @Field(() => RepositoryEventType)
  @Enum({ items: () => RepositoryEventType })
  type!: RepositoryEventType;

  @Field()
  @Property({ length: 500 })
  message!: string;

  @Field(() => String, { nullable: true, description: 'log text a client sent with a ping (up to 100 kB)' })
  @Property({ type: 'text', nullable: true, lazy: true })
  log: string | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date & Opt = new Date();
}
