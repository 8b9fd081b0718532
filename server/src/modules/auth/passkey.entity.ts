import type { Opt, Ref } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { User } from '../user/index.js';

/**
 * A passkey (WebAuthn credential) of a user: its id and public key as base64url, and the authenticator's
 * signature counter, which must grow with every use (a counter that does not is a cloned authenticator).
 */
@Entity({ tableName: 'passkeys' })
export class Passkey {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @Property({ length: 255, unique: true })
  credentialId!: string;

  @Property({ type: 'text' })
  publicKey!: string;

  @Property({ type: 'integer', unsigned: true })
  counter: number & Opt = 0;

  /** How the browser reached it (internal, usb, hybrid...), comma-separated. */
  @Property({ length: 100, nullable: true })
  transports: string | null = null;

  @Property({ length: 100 })
  name!: string;

  /** singleDevice or multiDevice (synced), as the authenticator said at registration. */
  @Property({ length: 16 })
  deviceType!: string;

  @Property({ type: 'boolean' })
  backedUp: boolean & Opt = false;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt: Date | null = null;
}

/** What a challenge was issued for; a challenge answers only the ceremony it was made for. */
export type PasskeyPurpose = 'register' | 'secondFactor' | 'signIn';

/** A WebAuthn challenge, kept until it is used (once) or expires. */
@Entity({ tableName: 'passkey_challenges' })
@Index({ properties: ['expiresAt'] })
export class PasskeyChallenge {
  @PrimaryKey()
  id!: number;

  @Property({ length: 128, unique: true })
  challenge!: string;

  @Property({ length: 16 })
  purpose!: PasskeyPurpose;

  /** The user it was issued to; null for a password-less sign-in (anyone's passkey may answer). */
  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade', nullable: true })
  user: Ref<User> | null = null;

  @Property({ type: 'datetime' })
  expiresAt!: Date;
}
