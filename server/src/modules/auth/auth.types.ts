import { Field, ObjectType } from 'type-graphql';
import { User } from '../user/user.entity.js';
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
