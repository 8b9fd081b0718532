import { BigIntType, type Opt, type Ref } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Repository } from './repository.entity.js';

@ObjectType({ simpleResolvers: true, description: 'A daily or post-update measurement of a repository' })
@Entity({ tableName: 'repository_statistics' })
@Index({ properties: ['repository', 'createdAt'] })
export class RepositoryStatistic {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Repository, { ref: true, deleteRule: 'cascade' })
  repository!: Ref<Repository>;

  @Field(() => Float, { description: 'bytes on disk' })
  @Property({ type: new BigIntType('number') })
  usageBytes!: number;

  @Field(() => Date)
  @Property({ type: 'datetime', length: 3 })
  createdAt: Date & Opt = new Date();
}
