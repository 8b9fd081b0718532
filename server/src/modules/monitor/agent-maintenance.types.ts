import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { BackupRunState, MaintenanceTask } from '../backup/index.js';
import { BorgVersion } from '../repository/index.js';

@ObjectType({
  description: 'A maintenance run an agent claimed: run borg on the repository, renew, then report',
})
export class AgentMaintenanceRun {
  @Field(() => ID)
  runId!: number;

  @Field(() => MaintenanceTask)
  task!: MaintenanceTask;

  @Field()
  repoUser!: string;

  @Field()
  repoName!: string;

  @Field(() => BorgVersion)
  borgVersion!: BorgVersion;

  @Field({ description: 'whether the hive believes a session is open (BREAK_LOCK then needs a stale lock)' })
  isOpen!: boolean;

  @Field(() => Date, { description: 'the claim holds until then unless renewed (renew every 30 s)' })
  leaseUntil!: Date;
}

@ObjectType()
export class AgentMaintenanceLease {
  @Field({ description: 'someone asked to cancel the run: stop borg and report CANCELLED' })
  cancelRequested!: boolean;

  @Field(() => Date)
  leaseUntil!: Date;
}

@InputType({ description: 'How a maintenance run ended on the storage node' })
export class MaintenanceReportInput {
  @Field(() => BackupRunState, { description: 'SUCCEEDED, FAILED or CANCELLED' })
  state!: BackupRunState;

  @Field(() => Int, { nullable: true, description: "borg's exit status (null: it never ran, or a signal)" })
  exitCode?: number | null;

  @Field({ description: 'at most 1000 characters' })
  message!: string;

  @Field({ defaultValue: '', description: "borg's log, its tail: at most 65536 characters" })
  log!: string;
}
