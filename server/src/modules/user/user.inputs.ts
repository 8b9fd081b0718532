import { Field, InputType, Int } from 'type-graphql';

@InputType()
export class CreateUserInput {
  @Field()
  username!: string;

  @Field()
  password!: string;

  @Field()
  email!: string;

  @Field({ nullable: true, defaultValue: false })
  isAdmin?: boolean;
}

@InputType({ description: 'Your alert preferences' })
export class UpdateMeInput {
  @Field({ nullable: true })
  email?: string;

  @Field(() => Int, { nullable: true, description: '1..48 hours between repeated alerts' })
  alertIntervalHours?: number;

  @Field(() => Int, { nullable: true, description: '1..30 days after the last backup when alerts stop' })
  alertExpirationDays?: number;
}
