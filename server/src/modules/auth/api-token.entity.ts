import type { Opt, Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { RepositoryLocation } from '../location/index.js';
import { User } from '../user/index.js';
import { TokenScope } from './token-scope.js';

@ObjectType({
  simpleResolvers: true,
  description: 'A long-lived token for scripts, agents and borg-hive-keys',
})
@Entity({ tableName: 'api_tokens' })
export class ApiToken {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field(() => TokenScope)
  @Enum({ items: () => TokenScope, nativeEnumName: undefined })
  scope!: TokenScope;

  /** sha256 of the secret; the secret is shown once at creation. */
  @Property({ hidden: true, unique: true, length: 64 })
  secretHash!: string;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  /**
   * AGENT tokens: the one location whose repositories the agent may report on and read (null for
   * other scopes; an AGENT token without one, made before tokens were bound, is refused).
   */
  @ManyToOne(() => RepositoryLocation, { ref: true, nullable: true, deleteRule: 'set null' })
  location: Ref<RepositoryLocation> | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  expiresAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  lastUsedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
