import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { HealthState } from './health-state.js';
import { Repository } from './repository.entity.js';
import type { RepositoryView } from './repository.view.js';

@ObjectType({ description: 'contract §7: how a repository is doing' })
export class RepositoryHealth {
  @Field(() => HealthState)
  state!: HealthState;

  @Field({ description: 'one human sentence, e.g. "no backup for 9 days (alert after 7 days)"' })
  reason!: string;

  @Field(() => Date, { nullable: true, description: 'when the current state began; null if unknown' })
  since!: Date | null;

  @Field(() => Boolean, { description: 'alertAfterDays is not set: never STALE and no stale alerts' })
  alertsOff!: boolean;
}

export enum RepositoryOrder {
  ATTENTION = 'ATTENTION',
  NAME = 'NAME',
  LAST_BACKUP = 'LAST_BACKUP',
  USAGE = 'USAGE',
}

registerEnumType(RepositoryOrder, {
  name: 'RepositoryOrder',
  valuesConfig: {
    ATTENTION: {
      description:
        'FAILED, STALE, NEVER_BACKED_UP, IN_PROGRESS, UNKNOWN, OK; then name (binary order), then id',
    },
    NAME: { description: 'name (binary order), then id' },
    LAST_BACKUP: { description: 'oldest last backup first, never backed up before any; then name, id' },
    USAGE: { description: 'largest first, unknown usage last; then name, id' },
  },
});

@InputType({ description: 'all given conditions hold' })
export class RepositoryFilter {
  @Field(() => String, {
    nullable: true,
    description: 'case-insensitive substring of the name, the repo user or the owner’s username',
  })
  search?: string | null;

  @Field(() => [HealthState], { nullable: true })
  states?: HealthState[] | null;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;

  @Field(() => ID, { nullable: true })
  groupId?: string | null;

  @Field(() => ID, { nullable: true })
  locationId?: string | null;
}

@ObjectType()
export class RepositoryEdge {
  @Field({ description: 'opaque; pass as `after` to read on from here (same order only)' })
  cursor!: string;

  @Field(() => Repository)
  node!: RepositoryView;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType({ description: 'one page of the repositories you may see, keyset-paged' })
export class RepositoryPage {
  @Field(() => [RepositoryEdge])
  edges!: RepositoryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'every repository you may see that matches the filter' })
  totalCount!: number;
}

@ObjectType({ description: 'counts over the repositories you may see (that match the filter)' })
export class RepositorySummary {
  @Field(() => Int)
  total!: number;

  @Field(() => Float, { description: 'the sum of the known usageBytes' })
  usageBytes!: number;

  @Field(() => Int)
  neverBackedUp!: number;

  @Field(() => Int)
  ok!: number;

  @Field(() => Int)
  inProgress!: number;

  @Field(() => Int)
  stale!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int)
  unknown!: number;
}
