import { Collection, type Opt, type Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToMany, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Repository } from '../repository/index.js';
import { Group, User } from '../user/index.js';
import { NotificationKind } from './notification-kind.js';

@ObjectType({ simpleResolvers: true, description: 'Where stale-backup alerts go' })
@Entity({ tableName: 'notification_channels' })
export class NotificationChannel {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field(() => NotificationKind)
  @Enum({ items: () => NotificationKind })
  kind!: NotificationKind;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  enabled: boolean & Opt = true;

  /**
   * Validated per kind and stored sealed (`ChannelSecrets`: `{ sealed: "bh1:..." }`; older rows may still
   * be plain until the start-up step seals them). Read it through `ChannelSecrets.open`; the schema shows
   * only the redacted form.
   */
  @Property({ type: 'json', hidden: true })
  settings!: Record<string, unknown>;

  /** Which messages the channel carries, quiet hours, digest (alert-rules.ts); null: the defaults. */
  @Property({ type: 'json', nullable: true })
  rules: (Record<string, unknown> & Opt) | null = null;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  owner!: Ref<User>;

  @ManyToMany(() => Group, undefined, { pivotTable: 'notification_channel_groups' })
  groups = new Collection<Group>(this);

  /** Empty: every repository the owner may see. */
  @ManyToMany(() => Repository, undefined, { pivotTable: 'notification_channel_repositories' })
  repositories = new Collection<Repository>(this);

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
