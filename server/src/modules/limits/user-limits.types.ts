import { Field, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What a user may create (0: no limit; admins have none)' })
export class UserLimits {
  @Field(() => Int)
  repositories!: number;

  @Field(() => Int)
  sshKeys!: number;

  @Field(() => Int)
  notificationChannels!: number;

  @Field(() => Int)
  apiTokens!: number;

  @Field(() => Int, { description: 'creations of all four kinds together per minute' })
  creationsPerMinute!: number;
}

@InputType({ description: "A user's own limits: null for the configured default, 0 for no limit" })
export class UserLimitsInput {
  @Field(() => Int, { nullable: true })
  repositories?: number | null;

  @Field(() => Int, { nullable: true })
  sshKeys?: number | null;

  @Field(() => Int, { nullable: true })
  notificationChannels?: number | null;

  @Field(() => Int, { nullable: true })
  apiTokens?: number | null;
}
