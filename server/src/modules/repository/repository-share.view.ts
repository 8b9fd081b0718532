import { Field, ObjectType } from 'type-graphql';
import { Group } from '../user/index.js';
import { ShareRole } from './share-role.js';

@ObjectType('RepositoryShare', {
  simpleResolvers: true,
  description: 'A group it is shared with, and its role',
})
export class RepositoryShareView {
  @Field(() => Group)
  group!: Group;

  @Field(() => ShareRole)
  role!: ShareRole;
}
