/**
 * SQLite cannot change a check constraint: a migration that changes repository_events.type's allowed
 * values rebuilds the table with these statements. Inside the migration's transaction `pragma
 * foreign_keys = off` does nothing, and dropping the old table would cascade to notification_deliveries
 * (event_id ... on delete cascade), so those rows are kept aside and put back; the table's data_version
 * triggers and indexes are made again.
 */
export function rebuildEventsSql(types: readonly string[]): string[] {
  const check = types.map((t) => `'${t}'`).join(', ');
  return [
    `create table \`repository_events__new\` (\`id\` integer not null primary key autoincrement, \`repository_id\` integer not null, \`type\` text check (\`type\` in (${check})) not null, \`message\` text not null, \`log\` text null, \`created_at\` datetime not null, constraint \`repository_events_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade);`,
    `insert into \`repository_events__new\` (\`id\`, \`repository_id\`, \`type\`, \`message\`, \`log\`, \`created_at\`) select \`id\`, \`repository_id\`, \`type\`, \`message\`, \`log\`, \`created_at\` from \`repository_events\`;`,
    `create temp table \`notification_deliveries__kept\` as select * from \`notification_deliveries\`;`,
    `drop table \`repository_events\`;`,
    `alter table \`repository_events__new\` rename to \`repository_events\`;`,
    `insert into \`notification_deliveries\` select * from \`notification_deliveries__kept\`;`,
    `drop table \`notification_deliveries__kept\`;`,
    `create index \`repository_events_repository_id_index\` on \`repository_events\` (\`repository_id\`);`,
    `create index \`repository_events_repository_id_created_at_index\` on \`repository_events\` (\`repository_id\`, \`created_at\`);`,
    ...['insert', 'update', 'delete'].map(
      (op) =>
        `create trigger \`repository_events_${op}_data_version\` after ${op} on \`repository_events\` for each row begin update \`data_versions\` set \`version\` = \`version\` + 1 where \`id\` = 1; end;`,
    ),
  ];
}
