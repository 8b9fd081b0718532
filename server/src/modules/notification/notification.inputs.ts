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
      'per kind: EMAIL {to}, PUSHOVER {appToken,userKey,priority}, WEBHOOK {url,method,secret}, NTFY {server,topic,token,priority}, APPRISE {urls (admins: the apprise CLI) | apiUrl, tag}, GOTIFY {server,token,priority}, TELEGRAM {botToken,chatId,silent}, MATRIX {homeserver,accessToken,roomId}, UPTIME_KUMA {pushUrl}',
  })
  settings!: Record<string, unknown>;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description:
      'alert rules: events (STALE FAILED RECOVERED DELETIONS RUN_FAILED RUN_SUCCEEDED; default the first four), repeat (default true; false: one message per incident), quietHours {start,end} "HH:MM", digestAt "HH:MM", timeZone (IANA, default UTC). Absent on update: unchanged; null: the defaults',
  })
  rules?: Record<string, unknown> | null;

  @Field(() => [ID], { nullable: true, description: 'empty: every repository the owner may see' })
  repositoryIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  groupIds?: string[] | null;
}
