import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Clock } from '../../adapters/clock.js';
import type { WebAuthnConfig } from '../../config/webauthn.js';
import type { Em } from '../../db/orm.js';
import { BadUserInputError, NotFoundError } from '../../graphql/errors.js';
import { User } from '../user/index.js';
import { Passkey, PasskeyChallenge, type PasskeyPurpose } from './passkey.entity.js';

/** How long the browser has to answer a challenge. */
const CHALLENGE_TTL_MS = 5 * 60_000;
const MAX_PASSKEYS = 20;

export interface PasskeyProof {
  /** The passkey that signed, with its owner. */
  passkey: Passkey;
  userId: number;
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function nameProblems(name: string): string | null {
  const trimmed = name.trim();
  return trimmed.length < 1 || trimmed.length > 100 ? 'name: 1 to 100 characters' : null;
}

/** A JSON object shaped like a WebAuthn answer; anything else is refused before the library sees it. */
function asResponse<T>(value: unknown): T {
  const v = value as { id?: unknown; rawId?: unknown; type?: unknown; response?: unknown } | null;
  if (
    !v ||
    typeof v !== 'object' ||
    typeof v.id !== 'string' ||
    typeof v.rawId !== 'string' ||
    v.type !== 'public-key' ||
    !v.response ||
    typeof v.response !== 'object'
  ) {
    throw BadUserInputError.fromProblems([{ field: 'response', message: 'not a WebAuthn credential' }]);
  }
  return value as T;
}

/**
 * Passkeys (WebAuthn, @simplewebauthn/server): registration by a signed-in user, and assertions as a
 * second factor (after the password) or as a password-less sign-in (a discoverable credential with user
 * verification). Every challenge is stored with its purpose, its user and an expiry, and is deleted by
 * the one answer that uses it; the signature counter must grow (atomically) or the answer is refused.
 */
export class PasskeyService {
  constructor(
    private readonly clock: Clock,
    private readonly rp: WebAuthnConfig,
  ) {}

  async hasAny(em: Em, userId: number): Promise<boolean> {
    return (await em.count(Passkey, { user: userId })) > 0;
  }

  async list(em: Em, userId: number): Promise<Passkey[]> {
    return em.find(Passkey, { user: userId }, { orderBy: { id: 'asc' } });
  }

  private async issue(em: Em, purpose: PasskeyPurpose, userId: number | null, challenge: string) {
    const now = this.clock.now();
    await em.nativeDelete(PasskeyChallenge, { expiresAt: { $lte: now } });
    em.create(PasskeyChallenge, {
      challenge,
      purpose,
      user: userId === null ? null : em.getReference(User, userId),
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
    });
    await em.flush();
  }

  /**
   * Deletes the challenge if it is live and was issued for this purpose (and user): true exactly once,
   * on whichever instance asks first.
   */
  private consumer(em: Em, purpose: PasskeyPurpose, userId: number | null) {
    return async (challenge: string): Promise<boolean> => {
      const used = await em.nativeDelete(PasskeyChallenge, {
        challenge,
        purpose,
        user: userId,
        expiresAt: { $gt: this.clock.now() },
      });
      return used === 1;
    };
  }

  /** False when the configuration turned passkeys off (see WebAuthnConfig.off). */
  get on(): boolean {
    return this.rp.off === null;
  }

  /** Refuses every passkey step, with the reason, when the configuration turned passkeys off. */
  private ensureOn(): void {
    if (this.rp.off !== null) throw new BadUserInputError(this.rp.off);
  }

  async registrationOptions(em: Em, userId: number): Promise<PublicKeyCredentialCreationOptionsJSON> {
    this.ensureOn();
    const user = await em.findOneOrFail(User, { id: userId });
    const existing = await this.list(em, userId);
    if (existing.length >= MAX_PASSKEYS) {
      throw new BadUserInputError(`at most ${MAX_PASSKEYS} passkeys: delete one first`);
    }
    const options = await generateRegistrationOptions({
      rpName: this.rp.rpName,
      rpID: this.rp.rpId,
      userName: user.username,
      userID: new TextEncoder().encode(`borghive-user-${user.id}`),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({
        id: p.credentialId,
        ...(p.transports ? { transports: p.transports.split(',') } : {}),
      })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    await this.issue(em, 'register', userId, options.challenge);
    return options;
  }

  async register(em: Em, userId: number, name: string, response: unknown): Promise<Passkey> {
    const problem = nameProblems(name);
    if (problem) throw BadUserInputError.fromProblems([{ field: 'name', message: problem }]);
    const answer = asResponse<RegistrationResponseJSON>(response);
    const result = await verifyRegistrationResponse({
      response: answer,
      expectedChallenge: this.consumer(em, 'register', userId),
      expectedOrigin: this.rp.origins,
      expectedRPID: this.rp.rpId,
      requireUserVerification: false,
    }).catch((err: Error) => {
      throw BadUserInputError.fromProblems([{ field: 'response', message: err.message }]);
    });
    if (!result.verified) {
      throw BadUserInputError.fromProblems([{ field: 'response', message: 'the passkey was not verified' }]);
    }
    const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
    if ((await em.count(Passkey, { credentialId: credential.id })) > 0) {
      throw BadUserInputError.fromProblems([
        { field: 'response', message: 'this passkey is registered already' },
      ]);
    }
    const passkey = em.create(Passkey, {
      user: em.getReference(User, userId),
      credentialId: credential.id,
      publicKey: base64url(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports?.length ? credential.transports.join(',').slice(0, 100) : null,
      name: name.trim(),
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      createdAt: this.clock.now(),
    });
    await em.flush();
    return passkey;
  }

  /**
   * Options for an assertion. With a user (the second factor, after the password): that user's passkeys.
   * Without (password-less): any discoverable passkey, and the authenticator must verify the person.
   */
  async authenticationOptions(em: Em, userId: number | null): Promise<PublicKeyCredentialRequestOptionsJSON> {
    this.ensureOn();
    const allow = userId === null ? [] : await this.list(em, userId);
    const options = await generateAuthenticationOptions({
      rpID: this.rp.rpId,
      allowCredentials: allow.map((p) => ({
        id: p.credentialId,
        ...(p.transports ? { transports: p.transports.split(',') } : {}),
      })),
      userVerification: userId === null ? 'required' : 'preferred',
    });
    await this.issue(em, userId === null ? 'signIn' : 'secondFactor', userId, options.challenge);
    return options;
  }

  /** The passkey an answer names, if it is registered (to know whose sign-in it is before checking it). */
  async ownerOf(em: Em, response: unknown): Promise<User | null> {
    const id = (response as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return null;
    const passkey = await em.findOne(Passkey, { credentialId: id }, { populate: ['user'] });
    return passkey ? passkey.user.getEntity() : null;
  }

  /**
   * Checks an assertion: the challenge (live, this purpose, this user, used once), origin, RP ID,
   * signature, user verification for a password-less sign-in, and a counter that grows. Null: refused.
   */
  async verify(em: Em, response: unknown, userId: number | null): Promise<PasskeyProof | null> {
    const answer = asResponse<AuthenticationResponseJSON>(response);
    const passkey = await em.findOne(Passkey, { credentialId: answer.id });
    if (!passkey || (userId !== null && passkey.user.id !== userId)) return null;
    const purpose = userId === null ? 'signIn' : 'secondFactor';
    const result = await verifyAuthenticationResponse({
      response: answer,
      expectedChallenge: this.consumer(em, purpose, userId),
      expectedOrigin: this.rp.origins,
      expectedRPID: this.rp.rpId,
      credential: {
        id: passkey.credentialId,
        publicKey: Buffer.from(passkey.publicKey, 'base64url'),
        counter: passkey.counter,
        ...(passkey.transports ? { transports: passkey.transports.split(',') } : {}),
      },
      requireUserVerification: userId === null,
    }).catch(() => null);
    if (!result?.verified) return null;
    const { newCounter } = result.authenticationInfo;
    // compare-and-set: of two answers that raced with the same counter, one wins
    const moved = await em.nativeUpdate(
      Passkey,
      { id: passkey.id, counter: passkey.counter },
      { counter: newCounter, lastUsedAt: this.clock.now() },
    );
    if (moved !== 1) return null;
    return { passkey, userId: passkey.user.id };
  }

  async rename(em: Em, userId: number, id: number, name: string): Promise<Passkey> {
    const problem = nameProblems(name);
    if (problem) throw BadUserInputError.fromProblems([{ field: 'name', message: problem }]);
    const passkey = await em.findOne(Passkey, { id, user: userId });
    if (!passkey) throw new NotFoundError('passkey', id);
    passkey.name = name.trim();
    await em.flush();
    return passkey;
  }

  /** Deletes one of the user's passkeys; from now on it signs nobody in. */
  async remove(em: Em, userId: number, id: number): Promise<void> {
    const n = await em.nativeDelete(Passkey, { id, user: userId });
    if (n === 0) throw new NotFoundError('passkey', id);
  }
}
