import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { BadUserInputError, ConflictError } from '../../graphql/errors.js';
import type { SecretBox } from '../../security/secret-box.js';
import { sha256Hex } from '../../security/secrets.js';
import { User } from '../user/index.js';
import { RecoveryCode, TotpFactor } from './totp.entity.js';

/** RFC 6238 as the contract fixes it: SHA-1, 6 digits, 30-second steps. */
const PERIOD = 30;
const DIGITS = 6;
/** One step either side: a phone clock a little off, or a code typed just as it turned over. */
const WINDOW = 1;
const RECOVERY_CODES = 10;

export interface TotpEnrollment {
  secret: string;
  otpauthUrl: string;
}

/** Recovery codes: four groups of five hex digits; dashes, spaces and case do not matter when typed. */
function newRecoveryCode(): string {
  const raw = randomBytes(10).toString('hex');
  return `${raw.slice(0, 5)}-${raw.slice(5, 10)}-${raw.slice(10, 15)}-${raw.slice(15, 20)}`;
}

function normalRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, '');
}

export function isTotpShaped(code: string): boolean {
  return /^\d{6}$/.test(code.trim());
}

/**
 * TOTP second factor: enrolment (a secret sealed at rest), confirmation (which hands out recovery codes
 * once), verification that refuses a code for a step already used, and one-time recovery codes.
 */
export class TotpService {
  constructor(
    private readonly clock: Clock,
    private readonly box: SecretBox,
    private readonly issuer: string,
  ) {}

  private totp(secretBase32: string, label: string): TOTP {
    return new TOTP({
      issuer: this.issuer,
      label,
      algorithm: 'SHA1',
      digits: DIGITS,
      period: PERIOD,
      secret: Secret.fromBase32(secretBase32),
    });
  }

  async isEnabled(em: Em, userId: number): Promise<boolean> {
    return (await em.count(TotpFactor, { user: userId, confirmedAt: { $ne: null } })) > 0;
  }

  /** Starts (or restarts) enrolment; an enabled factor must be disabled first. */
  async enable(em: Em, userId: number): Promise<TotpEnrollment> {
    const user = await em.findOneOrFail(User, { id: userId });
    const existing = await em.findOne(TotpFactor, { user: userId });
    if (existing?.confirmedAt) throw new ConflictError('TOTP is on already: disable it first');
    const secret = new Secret({ size: 20 }).base32;
    if (existing) existing.secretSealed = this.box.seal(secret);
    else em.create(TotpFactor, { user, secretSealed: this.box.seal(secret), createdAt: this.clock.now() });
    await em.flush();
    return { secret, otpauthUrl: this.totp(secret, user.username).toString() };
  }

  /** A correct code turns the factor on; returns the recovery codes, the only time they are shown. */
  async confirm(em: Em, userId: number, code: string): Promise<string[]> {
    const factor = await em.findOne(TotpFactor, { user: userId });
    if (!factor) throw new BadUserInputError('start with enableTotp');
    if (factor.confirmedAt) throw new ConflictError('TOTP is on already');
    if (!(await this.acceptCode(em, factor, code))) {
      throw BadUserInputError.fromProblems([{ field: 'code', message: 'wrong or used code' }]);
    }
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(TotpFactor, { id: factor.id }, { confirmedAt: this.clock.now() });
      await tx.nativeDelete(RecoveryCode, { user: userId });
      for (const c of codes)
        tx.create(RecoveryCode, { user: userId, codeHash: sha256Hex(normalRecoveryCode(c)) });
    });
    return codes;
  }

  /** Turns TOTP off with a current code or a recovery code; its recovery codes go too. */
  async disable(em: Em, userId: number, code: string): Promise<void> {
    if (!(await this.isEnabled(em, userId))) throw new BadUserInputError('TOTP is not on');
    if (!(await this.verify(em, userId, code))) {
      throw BadUserInputError.fromProblems([{ field: 'code', message: 'wrong or used code' }]);
    }
    await em.transactional(async (tx) => {
      await tx.nativeDelete(TotpFactor, { user: userId });
      await tx.nativeDelete(RecoveryCode, { user: userId });
    });
  }

  /** A TOTP code or an unused recovery code of the user's confirmed factor; each is accepted once. */
  async verify(em: Em, userId: number, code: string): Promise<boolean> {
    const factor = await em.findOne(TotpFactor, { user: userId, confirmedAt: { $ne: null } });
    if (!factor) return false;
    if (isTotpShaped(code)) return this.acceptCode(em, factor, code);
    const used = await em.nativeUpdate(
      RecoveryCode,
      { user: userId, codeHash: sha256Hex(normalRecoveryCode(code)), usedAt: null },
      { usedAt: this.clock.now() },
    );
    return used === 1;
  }

  async recoveryCodesLeft(em: Em, userId: number): Promise<number> {
    return em.count(RecoveryCode, { user: userId, usedAt: null });
  }

  /**
   * Checks the code against the steps around now and moves `lastStep` to its step atomically, only
   * forward: two requests with the same code, on any instance, cannot both pass.
   */
  private async acceptCode(em: Em, factor: TotpFactor, code: string): Promise<boolean> {
    const token = code.trim();
    if (!isTotpShaped(token)) return false;
    const timestamp = this.clock.now().getTime();
    const totp = this.totp(this.box.open(factor.secretSealed), 'x');
    const delta = totp.validate({ token, timestamp, window: WINDOW });
    if (delta === null) return false;
    const step = TOTP.counter({ period: PERIOD, timestamp }) + delta;
    const moved = await em.nativeUpdate(
      TotpFactor,
      { id: factor.id, $or: [{ lastStep: null }, { lastStep: { $lt: step } }] },
      { lastStep: step },
    );
    return moved === 1;
  }
}
