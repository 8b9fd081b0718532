import { Migration } from '@mikro-orm/migrations';

/** METRICS token scope; channel kinds APPRISE GOTIFY TELEGRAM MATRIX UPTIME_KUMA; notification_channels.rules. */
export class Migration20261205113228 extends Migration {
  override name = 'Migration20261205113228';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`notification_channels\` add \`rules\` json null;`);
    this.addSql(
      `alter table \`notification_channels\` modify \`kind\` enum('EMAIL','PUSHOVER','WEBHOOK','NTFY','APPRISE','GOTIFY','TELEGRAM','MATRIX','UPTIME_KUMA') not null;`,
    );

    this.addSql(
      `alter table \`api_tokens\` modify \`scope\` enum('READ_ONLY','FULL','KEYS_READ','AGENT','METRICS') not null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table \`api_tokens\` modify \`scope\` enum('READ_ONLY','FULL','KEYS_READ','AGENT') not null;`,
    );
    this.addSql(`alter table \`notification_channels\` drop column \`rules\`;`);
    this.addSql(
      `alter table \`notification_channels\` modify \`kind\` enum('EMAIL','PUSHOVER','WEBHOOK','NTFY') not null;`,
    );
  }
}
