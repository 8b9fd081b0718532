import type { Opt, Ref } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { User } from '../user/index.js';

/**
 * One OpenID Connect sign-in in flight, from `GET /auth/oidc` to the session. Kept in the database so
 * any API instance can take the provider's callback. The `state` and the hand-off code are stored as
 * sha256 only; the PKCE verifier towards the provider is sealed.
 */
@Entity({ tableName: 'oidc_logins' })
export class OidcLogin {
  @PrimaryKey()
  id!: number;

  @Property({ unique: true, length: 64 })
  stateHash!: string;

  @Property({ length: 64 })
  nonce!: string;

  /** PKCE verifier between the hive and the provider (sealed). */
  @Property({ length: 255 })
  verifierSealed!: string;

  /** S256 challenge of the app that started the sign-in (console tab or desktop app). */
  @Property({ length: 64 })
  clientChallenge!: string;

  /** A loopback redirect (desktop app, RFC 8252); null: back to the web console. */
  @Property({ length: 255, nullable: true })
  returnTo: string | null = null;

  /** The app's own `state`, handed back with the code on the loopback redirect. */
  @Property({ length: 128, nullable: true })
  clientState: string | null = null;

  @Index()
  @Property({ type: 'datetime' })
  expiresAt!: Date;

  /** Set (once) when the provider's callback came back: a second callback with this state is refused. */
  @Property({ type: 'datetime', nullable: true })
  calledBackAt: Date | null = null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'cascade' })
  user: Ref<User> | null = null;

  /** sha256 of the one-time code the app exchanges for a session. */
  @Property({ unique: true, length: 64, nullable: true })
  handoffHash: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  redeemedAt: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
