import { REPOSITORY_NAME } from '@borg-hive/rules';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { BorgVersion } from './borg-version.js';
import { RepositoryMode } from './repository-mode.js';
import { ShareRole } from './share-role.js';

@InputType({ description: 'a group to share the repository with, and what its members may do' })
export class RepositoryShareInput {
  @Field(() => ID)
  groupId!: string;

  @Field(() => ShareRole, { defaultValue: ShareRole.VIEW })
  role!: ShareRole;
}

const GROUP_IDS = 'share with these groups as VIEW (shares gives other roles); owner or admin only';
const READ_ONLY = 'BORG2 only: keys that may read and extract, not write or delete (restore, audit)';
const WRITE_ONLY = 'BORG2 only: keys that may add archives but not read or delete any';
const SHARES = 'the groups it is shared with and their roles; owner or admin only; give this or groupIds';

@InputType()
export class CreateRepositoryInput {
  @Field({ description: `${REPOSITORY_NAME.source}, unique per owner` })
  name!: string;

  @Field(() => ID, { nullable: true, description: 'default: the default location' })
  locationId?: string | null;

  @Field(() => RepositoryMode, { nullable: true, defaultValue: RepositoryMode.BORG })
  mode?: RepositoryMode | null;

  @Field(() => BorgVersion, {
    nullable: true,
    defaultValue: BorgVersion.BORG1,
    description: 'fixed at creation (the layouts differ)',
  })
  borgVersion?: BorgVersion | null;

  @Field(() => [ID], { nullable: true })
  sshKeyIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  appendOnlySshKeyIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: READ_ONLY })
  readOnlySshKeyIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: WRITE_ONLY })
  writeOnlySshKeyIds?: string[] | null;

  @Field(() => Float, { nullable: true })
  quotaBytes?: number | null;

  @Field(() => Int, { nullable: true })
  alertAfterDays?: number | null;

  @Field(() => [ID], { nullable: true, description: GROUP_IDS })
  groupIds?: string[] | null;

  @Field(() => [RepositoryShareInput], { nullable: true, description: SHARES })
  shares?: RepositoryShareInput[] | null;
}

@InputType()
export class UpdateRepositoryInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => ID, { nullable: true })
  locationId?: string | null;

  @Field(() => RepositoryMode, { nullable: true })
  mode?: RepositoryMode | null;

  @Field(() => [ID], { nullable: true })
  sshKeyIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  appendOnlySshKeyIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: READ_ONLY })
  readOnlySshKeyIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: WRITE_ONLY })
  writeOnlySshKeyIds?: string[] | null;

  @Field(() => Float, { nullable: true, description: 'null leaves it; 0 removes the quota' })
  quotaBytes?: number | null;

  @Field(() => Int, { nullable: true, description: 'null leaves it; 0 turns alerts off' })
  alertAfterDays?: number | null;

  @Field(() => [ID], { nullable: true, description: GROUP_IDS })
  groupIds?: string[] | null;

  @Field(() => [RepositoryShareInput], { nullable: true, description: SHARES })
  shares?: RepositoryShareInput[] | null;
}
