import { Migration } from '@mikro-orm/migrations';

/** repository_locations.ssh_host_keys: the storage node's host keys as updateLocation sets them. */
export class Migration20261206030943 extends Migration {
  override name = 'Migration20261206030943';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`repository_locations\` add \`ssh_host_keys\` text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`repository_locations\` drop column \`ssh_host_keys\`;`);
  }
}
