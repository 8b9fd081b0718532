import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { RepositoryMode } from './repository-mode.js';

@InputType()
export class CreateRepositoryInput {
  @Field({ description: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$, unique per owner' })
  name!: string;

  @Field(() => ID, { nullable: true, description: 'default: the default location' })
  locationId?: string | null;

  @Field(() => RepositoryMode, { nullable: true, defaultValue: RepositoryMode.BORG })
  mode?: RepositoryMode | null;

  @Field(() => [ID], { nullable: true })
  sshKeyIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  appendOnlySshKeyIds?: string[] | null;

  @Field(() => Float, { nullable: true })
  quotaBytes?: number | null;

  @Field(() => Int, { nullable: true })
  alertAfterDays?: number | null;

  @Field(() => [ID], { nullable: true })
  groupIds?: string[] | null;
}

@InputType()
export class UpdateRepositoryInput {
  @Field({ nullable: true })
  name?: string | null;

  @Field(() => ID, { nullable: true })
  locationId?: string | null;

  @Field(() => RepositoryMode, { nullable: true })
  mode?: RepositoryMode | null;

  @Field(() => [ID], { nullable: true })
  sshKeyIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  appendOnlySshKeyIds?: string[] | null;

  @Field(() => Float, { nullable: true, description: 'null leaves it; 0 removes the quota' })
  quotaBytes?: number | null;

  @Field(() => Int, { nullable: true, description: 'null leaves it; 0 turns alerts off' })
  alertAfterDays?: number | null;

  @Field(() => [ID], { nullable: true })
  groupIds?: string[] | null;
}
