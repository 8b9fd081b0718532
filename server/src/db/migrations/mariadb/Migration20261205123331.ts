import { Migration } from '@mikro-orm/migrations';

/** Pull-mode backups (issue 11): backup_clients, backup_jobs, backup_runs. */
export class Migration20261205123331 extends Migration {
  override name = 'Migration20261205123331';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`backup_clients\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(100) not null, \`host\` varchar(255) not null, \`port\` int not null, \`user\` varchar(32) not null, \`host_key\` text not null, \`host_key_fingerprint\` varchar(64) not null, \`public_key\` text not null, \`private_key_sealed\` text not null, \`owner_id\` int unsigned not null, \`last_seen_at\` datetime null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`backup_clients\` add index \`backup_clients_owner_id_index\` (\`owner_id\`);`);
    this.addSql(
      `alter table \`backup_clients\` add unique \`backup_clients_owner_id_name_unique\` (\`owner_id\`, \`name\`);`,
    );

    this.addSql(
      `create table \`backup_jobs\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(100) not null, \`client_id\` int unsigned not null, \`repository_id\` int unsigned not null, \`owner_id\` int unsigned not null, \`paths\` json not null, \`excludes\` json not null, \`archive_name_pattern\` varchar(200) not null default '{hostname}-{now:%Y-%m-%dT%H:%M:%S}', \`compression\` varchar(40) not null default 'lz4', \`schedule\` varchar(100) null, \`timezone\` varchar(64) not null default 'UTC', \`jitter_seconds\` int not null default 0, \`retention\` json null, \`method\` enum('AGENT_FORWARDING','SOCKET_FORWARDING') not null default 'AGENT_FORWARDING', \`passphrase_sealed\` text null, \`next_run_at\` datetime null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`backup_jobs\` add index \`backup_jobs_client_id_index\` (\`client_id\`);`);
    this.addSql(
      `alter table \`backup_jobs\` add index \`backup_jobs_repository_id_index\` (\`repository_id\`);`,
    );
    this.addSql(`alter table \`backup_jobs\` add index \`backup_jobs_owner_id_index\` (\`owner_id\`);`);
    this.addSql(`alter table \`backup_jobs\` add index \`backup_jobs_next_run_at_index\` (\`next_run_at\`);`);

    this.addSql(
      `create table \`backup_runs\` (\`id\` int unsigned not null auto_increment primary key, \`kind\` enum('BACKUP','PRUNE','COMPACT','CHECK','BREAK_LOCK') not null, \`state\` enum('QUEUED','RUNNING','SUCCEEDED','FAILED','CANCELLED','INTERRUPTED') not null default 'QUEUED', \`job_id\` int unsigned null, \`repository_id\` int unsigned not null, \`started_at\` datetime(3) null, \`finished_at\` datetime(3) null, \`exit_code\` int null, \`archive_name\` varchar(200) null, \`message\` varchar(1000) null, \`log\` text not null default (''), \`stats\` json null, \`run_key_id\` int null, \`lease_owner\` varchar(64) null, \`lease_until\` datetime(3) null, \`process_groups\` varchar(255) null, \`cancel_requested\` tinyint(1) not null default false, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`backup_runs\` add index \`backup_runs_job_id_index\` (\`job_id\`);`);
    this.addSql(
      `alter table \`backup_runs\` add index \`backup_runs_repository_id_index\` (\`repository_id\`);`,
    );
    this.addSql(`alter table \`backup_runs\` add index \`backup_runs_state_index\` (\`state\`);`);
    this.addSql(
      `alter table \`backup_runs\` add index \`backup_runs_repository_id_created_at_index\` (\`repository_id\`, \`created_at\`);`,
    );

    this.addSql(
      `alter table \`backup_clients\` add constraint \`backup_clients_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on delete cascade;`,
    );

    this.addSql(
      `alter table \`backup_jobs\` add constraint \`backup_jobs_client_id_foreign\` foreign key (\`client_id\`) references \`backup_clients\` (\`id\`) on delete cascade;`,
    );
    this.addSql(
      `alter table \`backup_jobs\` add constraint \`backup_jobs_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade;`,
    );
    this.addSql(
      `alter table \`backup_jobs\` add constraint \`backup_jobs_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on delete cascade;`,
    );

    this.addSql(
      `alter table \`backup_runs\` add constraint \`backup_runs_job_id_foreign\` foreign key (\`job_id\`) references \`backup_jobs\` (\`id\`) on delete set null;`,
    );
    this.addSql(
      `alter table \`backup_runs\` add constraint \`backup_runs_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    // only the backup tables: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(`drop table if exists \`backup_runs\`;`);
    this.addSql(`drop table if exists \`backup_jobs\`;`);
    this.addSql(`drop table if exists \`backup_clients\`;`);
  }
}
