import { Migration } from '@mikro-orm/migrations';

export class Migration20261123174118 extends Migration {

  override name = 'Migration20261123174118';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`repositories\` modify \`last_access_at\` datetime(3) null;`);
    this.addSql(`alter table \`repositories\` modify \`last_updated_at\` datetime(3) null;`);

    this.addSql(`alter table \`repository_statistics\` modify \`created_at\` datetime(3) not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`repositories\` modify \`last_access_at\` datetime null;`);
    this.addSql(`alter table \`repositories\` modify \`last_updated_at\` datetime null;`);

    this.addSql(`alter table \`repository_statistics\` modify \`created_at\` datetime not null;`);
  }

}
