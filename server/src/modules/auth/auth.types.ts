import { Field, ID, ObjectType } from 'type-graphql';
import { User } from '../user/index.js';
import { ApiToken } from './api-token.entity.js';

@ObjectType({
  simpleResolvers: true,
  description: 'A login: send the token as Authorization: Bearer <token>',
})
export class Session {
  @Field()
  token!: string;

  @Field(() => User)
  user!: User;

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'The secret is shown here once and never again' })
export class CreatedApiToken {
  @Field()
  token!: string;

  @Field(() => ApiToken)
  apiToken!: ApiToken;
}

@ObjectType({ simpleResolvers: true, description: 'One of your login sessions (never its token)' })
export class SessionInfo {
  @Field(() => ID)
  id!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'last request, to the minute' })
  lastUsedAt!: Date | null;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => String, { nullable: true, description: 'client address at login' })
  address!: string | null;

  @Field(() => String, { nullable: true, description: 'User-Agent at login' })
  userAgent!: string | null;

  @Field({ description: 'the session this request came with' })
  current!: boolean;
}
