import type { Opt, Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { User } from '../user/index.js';

/** A login session; the bearer token is random and only its sha256 is stored. */
@Entity({ tableName: 'sessions' })
export class Session {
  @PrimaryKey()
  id!: number;

  @Property({ unique: true, length: 64 })
  tokenHash!: string;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @Property()
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  /** Updated at most once a minute by requests that use the session. */
  @Property({ type: 'datetime', nullable: true })
  lastUsedAt: Date | null = null;

  /** Where the login came from (client address and User-Agent), for the owner's session list. */
  @Property({ length: 64, nullable: true })
  address: string | null = null;

  @Property({ length: 255, nullable: true })
  userAgent: string | null = null;

  /** Signed in with a second factor (TOTP, recovery code) or enrolled one in this session. */
  @Property({ type: 'boolean' })
  secondFactor: boolean & Opt = false;
}
