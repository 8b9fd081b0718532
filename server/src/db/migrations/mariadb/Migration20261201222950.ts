import { Migration } from '@mikro-orm/migrations';

const OLD_TYPES =
  "'CREATED','OPENED','CLOSED','UPDATED','DELETED','ACCESSED','ALERT','RECOVERED','BACKUP_STARTED','BACKUP_SUCCEEDED','BACKUP_FAILED','BACKUP_LOG'";

/**
 * api_tokens.location_id: the location an AGENT token serves (existing AGENT tokens keep none and are
 * refused until replaced); repository_events.type gains PING_URL_ROTATED.
 */
export class Migration20261201222950 extends Migration {
  override name = 'Migration20261201222950';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table \`repository_events\` modify \`type\` enum(${OLD_TYPES},'PING_URL_ROTATED') not null;`,
    );
    this.addSql(`alter table \`api_tokens\` add \`location_id\` int unsigned null;`);
    this.addSql(
      `alter table \`api_tokens\` add constraint \`api_tokens_location_id_foreign\` foreign key (\`location_id\`) references \`repository_locations\` (\`id\`) on delete set null;`,
    );
    this.addSql(`alter table \`api_tokens\` add index \`api_tokens_location_id_index\` (\`location_id\`);`);
  }

  override down(): void | Promise<void> {
    // only these changes: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(`alter table \`api_tokens\` drop foreign key \`api_tokens_location_id_foreign\`;`);
    this.addSql(`alter table \`api_tokens\` drop index \`api_tokens_location_id_index\`;`);
    this.addSql(`alter table \`api_tokens\` drop column \`location_id\`;`);
    this.addSql(`delete from \`repository_events\` where \`type\` = 'PING_URL_ROTATED';`);
    this.addSql(`alter table \`repository_events\` modify \`type\` enum(${OLD_TYPES}) not null;`);
  }
}
