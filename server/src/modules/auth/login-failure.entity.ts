import type { Opt } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Login attempts counted on one throttle key (`user:`, `addr:`, `pair:`, `fresh:`; see login-throttle.ts),
 * shared by every API instance on the database; LoginThrottle decides what the counts mean.
 */
@Entity({ tableName: 'login_failures' })
export class LoginFailure {
  @PrimaryKey({ length: 200 })
  key!: string;

  @Property({ type: 'integer' })
  failures!: number;

  @Property({ type: 'datetime', length: 3, nullable: true })
  lockedUntil: (Date & Opt) | null = null;

  @Property({ type: 'datetime', length: 3 })
  lastFailureAt!: Date;
}
