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

  /**
   * The storage node's public ssh host keys (`<type> <base64>` lines), set by updateLocation: what backup
   * clients and the hive trust for it. Empty: the default location's come from BORGHIVE_SSH_HOST_KEYS_FILE.
   */
  @Property({ type: 'text', nullable: true })
  sshHostKeys: string | null = null;

  /** When its `borg-hive agent` last reported (any call of an AGENT token); null: watched by the hive itself. */
  @Field(() => Date, {
    nullable: true,
    description: 'when its borg-hive agent last reported (null: none ever did)',
  })
  @Property({ type: 'datetime', length: 3, nullable: true })
  agentSeenAt: Date | null = null;

  /** The agent's absence as the health job last saw it (its repositories' stored health is UNKNOWN). */
  @Property({ type: 'boolean' })
  agentAway: boolean & Opt = false;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
