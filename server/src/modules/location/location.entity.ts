import type { Opt } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({
  simpleResolvers: true,
  description: 'A storage node where borg clients reach repositories over ssh',
})
@Entity({ tableName: 'repository_locations' })
export class RepositoryLocation {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field()
  @Property({ unique: true, length: 100 })
  name!: string;

  @Field()
  @Property({ length: 255 })
  sshHost!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  sshPort: number & Opt = 22;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  isDefault: boolean & Opt = false;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
