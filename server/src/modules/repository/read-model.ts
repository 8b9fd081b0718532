/**
 * Every table the repository read model reads: `repositories`, `repositoryPage`, `repositorySummary`,
 * `repository` and every field reachable from a Repository (owner, groups, keys, events, statistics).
 * The response cache keeps their answers while data_versions is unchanged, so each of these tables
 * must carry the data_versions triggers (the migrations create them); read-model.test.ts runs the read
 * model's statements and fails when one reads a table that is not listed here or not tracked.
 */
export const READ_MODEL_TABLES: readonly string[] = [
  'users',
  'groups',
  'group_members',
  'repository_locations',
  'ssh_keys',
  'ssh_key_groups',
  'repositories',
  'repository_ssh_keys',
  'repository_append_only_keys',
  'repository_read_only_keys',
  'repository_write_only_keys',
  'repository_groups',
  'repository_events',
  'repository_statistics',
];
