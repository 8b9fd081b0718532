import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum AgentReportType {
  CREATED = 'CREATED',
  OPENED = 'OPENED',
  CLOSED = 'CLOSED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
  ACCESSED = 'ACCESSED',
  MEASURED = 'MEASURED',
}

registerEnumType(AgentReportType, {
  name: 'AgentReportType',
  description: 'What a storage-node agent saw: a repository event, or MEASURED (usage in usageBytes)',
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
}
