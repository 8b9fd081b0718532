import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One line of the audit trail: a mutation or a sign-in. The actor is kept by id and name, not as a foreign
 * key, so the trail outlives the users it mentions. `details` is the sanitised arguments as JSON (secrets
 * replaced by "[redacted]" before they reach this row).
 */
@Entity({ tableName: 'audit_log' })
@Index({ properties: ['actorId', 'id'] })
export class AuditEntry {
  @PrimaryKey()
  id!: number;

  @Index()
  @Property({ type: 'datetime', length: 3 })
  at!: Date;

  @Property({ type: 'integer', nullable: true })
  actorId: number | null = null;

  @Property({ length: 64, nullable: true })
  actorName: string | null = null;

  /** session, token, oidc... or null for an anonymous caller (a sign-in attempt). */
  @Property({ length: 16, nullable: true })
  via: string | null = null;

  @Property({ length: 64 })
  address!: string;

  /** The mutation's name (createRepository...) or a sign-in event (signIn, signInFailed, signInLocked). */
  @Index()
  @Property({ length: 100 })
  operation!: string;

  /** What the operation named: an id or a user name, when it had one. */
  @Property({ length: 255, nullable: true })
  target: string | null = null;

  /** OK or the error code the caller got. */
  @Property({ length: 32 })
  outcome!: string;

  @Property({ type: 'text', nullable: true })
  details: string | null = null;
}
