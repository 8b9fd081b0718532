import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BorgVersion } from '../repository/index.js';

export enum AgentReportType {
  CREATED = 'CREATED',
  OPENED = 'OPENED',
  CLOSED = 'CLOSED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
  ACCESSED = 'ACCESSED',
  MEASURED = 'MEASURED',
  ARCHIVE_CREATED = 'ARCHIVE_CREATED',
  ARCHIVE_DELETED = 'ARCHIVE_DELETED',
  KEY_ADDED = 'KEY_ADDED',
  KEY_REMOVED = 'KEY_REMOVED',
}

registerEnumType(AgentReportType, {
  name: 'AgentReportType',
  description:
    'What a storage-node agent saw: a repository event, MEASURED (usage in usageBytes), or on a borg 2 ' +
    'repository archives and key objects that came or went (ids, archiveCount)',
});

@InputType({ description: 'One observation of a storage-node agent; (repository, type, at) identifies it' })
export class RepositoryEventInput {
  @Field()
  repoUser!: string;

  @Field()
  repoName!: string;

  @Field(() => AgentReportType)
  type!: AgentReportType;

  @Field(() => Date)
  at!: Date;

  @Field(() => Float, { nullable: true, description: 'MEASURED: bytes on disk' })
  usageBytes?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'ARCHIVE_* and KEY_* (borg 2): the archives in archives/ after the change',
  })
  archiveCount?: number | null;

  @Field(() => [String], {
    nullable: true,
    description: 'ARCHIVE_* and KEY_* (borg 2): the object ids (hex names) that came or went',
  })
  ids?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'KEY_ADDED: there was no key object before (repo-create): not a change of key',
  })
  firstKey?: boolean | null;
}

@ObjectType()
export class AgentReportResult {
  @Field(() => Int, { description: 'reports that changed something and were recorded' })
  recorded!: number;

  @Field(() => Int, { description: 'reports recorded before (a retried batch)' })
  duplicates!: number;

  @Field(() => Int, { description: 'reports about repositories the hive does not know (ignored)' })
  unknown!: number;
}

@ObjectType({
  description: 'A repository as the hive believes it is, for an agent to reconcile with its disk',
})
export class AgentRepository {
  @Field()
  repoUser!: string;

  @Field()
  repoName!: string;

  @Field()
  exists!: boolean;

  @Field()
  initialized!: boolean;

  @Field()
  isOpen!: boolean;

  @Field(() => Date, { nullable: true })
  lastUpdatedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastAccessAt!: Date | null;

  @Field(() => BorgVersion, {
    nullable: true,
    description: 'BORG2: watch it with the borg 2 watcher; null: borg 1 or an rsync repository',
  })
  borgVersion!: BorgVersion | null;

  @Field(() => Int, {
    nullable: true,
    description: 'borg 2: the archive count the hive stored (null: never counted)',
  })
  archiveCount!: number | null;

  @Field(() => [String], {
    nullable: true,
    description: 'borg 2: the key object ids the hive knows (null: never seen a key)',
  })
  keyIds!: string[] | null;
}
