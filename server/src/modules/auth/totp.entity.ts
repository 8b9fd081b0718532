import type { Opt, Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { User } from '../user/index.js';

/**
 * A user's TOTP authenticator (RFC 6238). The secret is sealed with the hive's secret box; `lastStep` is the
 * last 30-second step a code was accepted for, so a code (or an older one) is never accepted twice.
 */
@Entity({ tableName: 'totp_factors' })
export class TotpFactor {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade', unique: true })
  user!: Ref<User>;

  @Property({ length: 255 })
  secretSealed!: string;

  /** null: enrolment started, no code confirmed yet (the factor does not count). */
  @Property({ type: 'datetime', nullable: true })
  confirmedAt: Date | null = null;

  @Property({ type: 'integer', nullable: true })
  lastStep: number | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}

/** A one-time recovery code for a user whose authenticator is lost; only its sha256 is stored. */
@Entity({ tableName: 'recovery_codes' })
export class RecoveryCode {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @Property({ length: 64, unique: true })
  codeHash!: string;

  @Property({ type: 'datetime', nullable: true })
  usedAt: Date | null = null;
}
