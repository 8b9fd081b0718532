import type { Opt, Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { User } from '../user/index.js';

@ObjectType({
  simpleResolvers: true,
  description: 'A host the hive may ssh into to run borg there (pull mode)',
})
@Entity({ tableName: 'backup_clients' })
@Unique({ properties: ['owner', 'name'] })
export class BackupClient {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field()
  @Property({ length: 255 })
  host!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  port!: number;

  @Field()
  @Property({ length: 32 })
  user!: string;

  /** The pinned host key, `<type> <base64>`: the only key the hive accepts from this client. */
  @Field({ description: 'the pinned host key of the client (type and base64, as in a .pub file)' })
  @Property({ type: 'text' })
  hostKey!: string;

  @Field({ description: 'SHA256 fingerprint of the pinned host key, as ssh-keygen -l prints it' })
  @Property({ length: 64 })
  hostKeyFingerprint!: string;

  @Field({ description: 'the public half of the key the hive logs in with' })
  @Property({ type: 'text' })
  publicKey!: string;

  /** The private half, sealed with the secret box; never in an answer. */
  @Property({ type: 'text', lazy: true })
  privateKeySealed!: string;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  owner!: Ref<User>;

  @Field(() => Date, { nullable: true, description: 'when the hive last reached it' })
  @Property({ type: 'datetime', nullable: true })
  lastSeenAt: Date | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
