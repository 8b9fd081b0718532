import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { NotificationKind } from './notification-kind.js';

@InputType()
export class NotificationChannelInput {
  @Field()
  name!: string;

  @Field(() => NotificationKind)
  kind!: NotificationKind;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  enabled?: boolean;

  @Field(() => GraphQLJSONObject, {
    description:
      'per kind: EMAIL {to}, PUSHOVER {appToken,userKey,priority}, WEBHOOK {url,method,secret}, NTFY {server,topic,token,priority}',
  })
  settings!: Record<string, unknown>;

  @Field(() => [ID], { nullable: true, description: 'empty: every repository the owner may see' })
  repositoryIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  groupIds?: string[] | null;
}
