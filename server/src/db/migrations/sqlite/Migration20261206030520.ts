import { Migration } from '@mikro-orm/migrations';

/** maintenance_schedules: a repository's COMPACT and CHECK on a cron schedule. */
export class Migration20261206030520 extends Migration {
  override name = 'Migration20261206030520';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`maintenance_schedules\` (\`id\` integer not null primary key autoincrement, \`repository_id\` integer not null, \`task\` text check (\`task\` in ('COMPACT', 'CHECK', 'BREAK_LOCK')) not null, \`schedule\` text not null, \`timezone\` text not null default 'UTC', \`next_run_at\` datetime null, \`created_at\` datetime not null, constraint \`maintenance_schedules_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade);`,
    );
    this.addSql(
      `create index \`maintenance_schedules_repository_id_index\` on \`maintenance_schedules\` (\`repository_id\`);`,
    );
    this.addSql(
      `create index \`maintenance_schedules_next_run_at_index\` on \`maintenance_schedules\` (\`next_run_at\`);`,
    );
    this.addSql(
      `create unique index \`maintenance_schedules_repository_id_task_unique\` on \`maintenance_schedules\` (\`repository_id\`, \`task\`);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`maintenance_schedules\`;`);
  }
}
