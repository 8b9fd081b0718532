import { Field, InputType, Int } from 'type-graphql';
import { BackupMethod } from './backup-enums.js';

@InputType()
export class BackupClientInput {
  @Field()
  name!: string;

  @Field()
  host!: string;

  @Field(() => Int, { defaultValue: 22 })
  port!: number;

  @Field()
  user!: string;

  @Field(() => String, {
    nullable: true,
    description: "the client's SHA256 host key fingerprint; when left out the first key seen is pinned",
  })
  hostKeyFingerprint?: string | null;
}

@InputType()
export class RetentionInput {
  @Field(() => Int, { nullable: true })
  keepDaily?: number | null;

  @Field(() => Int, { nullable: true })
  keepWeekly?: number | null;

  @Field(() => Int, { nullable: true })
  keepMonthly?: number | null;

  @Field(() => Int, { nullable: true })
  keepYearly?: number | null;
}

@InputType()
export class BackupJobInput {
  @Field()
  name!: string;

  @Field(() => String)
  clientId!: string;

  @Field(() => String)
  repositoryId!: string;

  @Field(() => [String])
  paths!: string[];

  @Field(() => [String], { nullable: true })
  excludes?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: '5-field cron; without it the job runs only when asked',
  })
  schedule?: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone of the schedule (default UTC)' })
  timezone?: string | null;

  @Field(() => Int, { nullable: true, description: 'random delay of a scheduled start, seconds (0-3600)' })
  jitterSeconds?: number | null;

  @Field(() => RetentionInput, { nullable: true })
  retention?: RetentionInput | null;

  @Field(() => BackupMethod, { nullable: true, defaultValue: BackupMethod.AGENT_FORWARDING })
  method?: BackupMethod | null;

  @Field(() => String, { nullable: true, description: 'write-only: sealed, never returned' })
  passphrase?: string | null;

  @Field(() => String, { nullable: true })
  archiveNamePattern?: string | null;

  @Field(() => String, { nullable: true })
  compression?: string | null;
}

@InputType()
export class BackupJobUpdateInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [String], { nullable: true })
  paths?: string[] | null;

  @Field(() => [String], { nullable: true })
  excludes?: string[] | null;

  @Field(() => String, { nullable: true, description: 'empty string: no schedule' })
  schedule?: string | null;

  @Field(() => String, { nullable: true })
  timezone?: string | null;

  @Field(() => Int, { nullable: true })
  jitterSeconds?: number | null;

  @Field(() => RetentionInput, { nullable: true })
  retention?: RetentionInput | null;

  @Field(() => BackupMethod, { nullable: true })
  method?: BackupMethod | null;

  @Field(() => String, { nullable: true, description: 'write-only; empty string removes it' })
  passphrase?: string | null;

  @Field(() => String, { nullable: true })
  archiveNamePattern?: string | null;

  @Field(() => String, { nullable: true })
  compression?: string | null;
}
