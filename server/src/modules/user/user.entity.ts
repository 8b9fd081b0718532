import { Collection, type Opt } from '@mikro-orm/core';
import { Entity, ManyToMany, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Group } from './group.entity.js';

@ObjectType({ simpleResolvers: true, description: 'A person who logs in to the hive' })
@Entity({ tableName: 'users' })
@Unique({ properties: ['oidcIssuer', 'oidcSubject'] })
export class User {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field()
  @Property({ unique: true, length: 64 })
  username!: string;

  /** Visible to the user themself and to admins only (field resolver). */
  @Property({ length: 254 })
  email!: string;

  /** argon2id hash; never exposed. */
  @Property({ hidden: true, length: 255 })
  passwordHash!: string;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  isAdmin: boolean & Opt = false;

  @Field(() => Int, { description: 'Hours between repeated alerts for the same stale repository (1..48)' })
  @Property({ type: 'integer' })
  alertIntervalHours: number & Opt = 12;

  @Field(() => Int, { description: 'Days after the last backup when alerts stop (1..30)' })
  @Property({ type: 'integer' })
  alertExpirationDays: number & Opt = 5;

  /** Per-user limits set by an admin; null: the default from the configuration (BORGHIVE_LIMIT_*). */
  @Property({ type: 'integer', nullable: true })
  limitRepositories: number | null = null;

  @Property({ type: 'integer', nullable: true })
  limitSshKeys: number | null = null;

  @Property({ type: 'integer', nullable: true })
  limitChannels: number | null = null;

  @Property({ type: 'integer', nullable: true })
  limitApiTokens: number | null = null;

  /** The OpenID Connect account this user signs in with (issuer and `sub`); null: none linked. */
  @Property({ length: 255, nullable: true })
  oidcIssuer: string | null = null;

  @Property({ length: 255, nullable: true })
  oidcSubject: string | null = null;

  @ManyToMany(() => Group, (g) => g.members)
  groups = new Collection<Group>(this);

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
