import { Migration } from '@mikro-orm/migrations';

/** maintenance_schedules: a repository's COMPACT and CHECK on a cron schedule. */
export class Migration20261206030529 extends Migration {
  override name = 'Migration20261206030529';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`maintenance_schedules\` (\`id\` int unsigned not null auto_increment primary key, \`repository_id\` int unsigned not null, \`task\` enum('COMPACT','CHECK','BREAK_LOCK') not null, \`schedule\` varchar(100) not null, \`timezone\` varchar(64) not null default 'UTC', \`next_run_at\` datetime(3) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`maintenance_schedules\` add index \`maintenance_schedules_repository_id_index\` (\`repository_id\`);`,
    );
    this.addSql(
      `alter table \`maintenance_schedules\` add index \`maintenance_schedules_next_run_at_index\` (\`next_run_at\`);`,
    );
    this.addSql(
      `alter table \`maintenance_schedules\` add unique \`maintenance_schedules_repository_id_task_unique\` (\`repository_id\`, \`task\`);`,
    );
    this.addSql(
      `alter table \`maintenance_schedules\` add constraint \`maintenance_schedules_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`maintenance_schedules\`;`);
  }
}
