import { Collection, type Opt } from '@mikro-orm/core';
import { Entity, ManyToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { User } from './user.entity.js';

@ObjectType({ simpleResolvers: true, description: 'Users who share repositories, keys and channels' })
@Entity({ tableName: 'groups' })
export class Group {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field()
  @Property({ unique: true, length: 64 })
  name!: string;

  @ManyToMany(() => User, (u) => u.groups, { owner: true, pivotTable: 'group_members' })
  members = new Collection<User>(this);

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
