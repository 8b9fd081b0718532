import { Collection, type Opt, type Ref } from '@mikro-orm/core';
import {
  Entity,
  Index,
  ManyToMany,
  ManyToOne,
  PrimaryKey,
  Property,
  Unique,
} from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Group, User } from '../user/index.js';

@ObjectType({
  simpleResolvers: true,
  description: 'An ssh public key that repositories may grant full or append-only access',
})
@Entity({ tableName: 'ssh_keys' })
@Unique({ properties: ['owner', 'fingerprint'] })
export class SshKey {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field({ description: 'key type as in the key line, e.g. ssh-ed25519' })
  @Property({ length: 64 })
  type!: string;

  /** base64 key blob as parsed; the line is rebuilt from type, blob and comment. */
  @Property({ type: 'text' })
  keyData!: string;

  @Field(() => Int)
  @Property()
  bits!: number;

  @Field({ description: 'SHA256 fingerprint exactly as ssh-keygen -l prints it' })
  @Index()
  @Property({ length: 64 })
  fingerprint!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  comment: string | null = null;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  owner!: Ref<User>;

  @ManyToMany(() => Group, undefined, { pivotTable: 'ssh_key_groups' })
  groups = new Collection<Group>(this);

  @Field(() => Date, { nullable: true, description: 'when sshd last offered this key for a login' })
  @Property({ type: 'datetime', nullable: true })
  lastUsedAt: Date | null = null;

  /**
   * A backup or maintenance run's temporary key: borg-hive-keys serves it while the run lasts, but no query,
   * list or count shows it (it is the hive's, not the owner's) and nobody can attach or delete it.
   */
  @Property({ type: 'boolean' })
  internal: boolean & Opt = false;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
