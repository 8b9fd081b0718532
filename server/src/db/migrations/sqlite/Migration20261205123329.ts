import { Migration } from '@mikro-orm/migrations';

/** Pull-mode backups (issue 11): backup_clients, backup_jobs, backup_runs. */
export class Migration20261205123329 extends Migration {
  override name = 'Migration20261205123329';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`backup_clients\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`host\` text not null, \`port\` integer not null, \`user\` text not null, \`host_key\` text not null, \`host_key_fingerprint\` text not null, \`public_key\` text not null, \`private_key_sealed\` text not null, \`owner_id\` integer not null, \`last_seen_at\` datetime null, \`created_at\` datetime not null, constraint \`backup_clients_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create index \`backup_clients_owner_id_index\` on \`backup_clients\` (\`owner_id\`);`);
    this.addSql(
      `create unique index \`backup_clients_owner_id_name_unique\` on \`backup_clients\` (\`owner_id\`, \`name\`);`,
    );

    this.addSql(
      `create table \`backup_jobs\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`client_id\` integer not null, \`repository_id\` integer not null, \`owner_id\` integer not null, \`paths\` json not null, \`excludes\` json not null, \`archive_name_pattern\` text not null default '{hostname}-{now:%Y-%m-%dT%H:%M:%S}', \`compression\` text not null default 'lz4', \`schedule\` text null, \`timezone\` text not null default 'UTC', \`jitter_seconds\` integer not null default 0, \`retention\` json null, \`method\` text check (\`method\` in ('AGENT_FORWARDING', 'SOCKET_FORWARDING')) not null default 'AGENT_FORWARDING', \`passphrase_sealed\` text null, \`next_run_at\` datetime null, \`created_at\` datetime not null, constraint \`backup_jobs_client_id_foreign\` foreign key (\`client_id\`) references \`backup_clients\` (\`id\`) on delete cascade, constraint \`backup_jobs_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade, constraint \`backup_jobs_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create index \`backup_jobs_client_id_index\` on \`backup_jobs\` (\`client_id\`);`);
    this.addSql(`create index \`backup_jobs_repository_id_index\` on \`backup_jobs\` (\`repository_id\`);`);
    this.addSql(`create index \`backup_jobs_owner_id_index\` on \`backup_jobs\` (\`owner_id\`);`);
    this.addSql(`create index \`backup_jobs_next_run_at_index\` on \`backup_jobs\` (\`next_run_at\`);`);

    this.addSql(
      `create table \`backup_runs\` (\`id\` integer not null primary key autoincrement, \`kind\` text check (\`kind\` in ('BACKUP', 'PRUNE', 'COMPACT', 'CHECK', 'BREAK_LOCK')) not null, \`state\` text check (\`state\` in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED')) not null default 'QUEUED', \`job_id\` integer null, \`repository_id\` integer not null, \`started_at\` datetime null, \`finished_at\` datetime null, \`exit_code\` integer null, \`archive_name\` text null, \`message\` text null, \`log\` text not null default '', \`stats\` json null, \`run_key_id\` integer null, \`lease_owner\` text null, \`lease_until\` datetime null, \`process_groups\` text null, \`cancel_requested\` integer not null default false, \`created_at\` datetime not null, constraint \`backup_runs_job_id_foreign\` foreign key (\`job_id\`) references \`backup_jobs\` (\`id\`) on delete set null, constraint \`backup_runs_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create index \`backup_runs_job_id_index\` on \`backup_runs\` (\`job_id\`);`);
    this.addSql(`create index \`backup_runs_repository_id_index\` on \`backup_runs\` (\`repository_id\`);`);
    this.addSql(`create index \`backup_runs_state_index\` on \`backup_runs\` (\`state\`);`);
    this.addSql(
      `create index \`backup_runs_repository_id_created_at_index\` on \`backup_runs\` (\`repository_id\`, \`created_at\`);`,
    );
  }

  override down(): void | Promise<void> {
    // only the backup tables: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(`drop table if exists \`backup_runs\`;`);
    this.addSql(`drop table if exists \`backup_jobs\`;`);
    this.addSql(`drop table if exists \`backup_clients\`;`);
  }
}
