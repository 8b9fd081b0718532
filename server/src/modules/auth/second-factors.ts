import type { Em } from '../../db/orm.js';
import type { SecondFactorCheck } from './auth.service.js';
import type { PasskeyService } from './passkey.service.js';
import type { TotpService } from './totp.service.js';

/**
 * The second factors a sign-in accepts after the password: a TOTP or recovery code, or a passkey. A user
 * who has either is asked; the question carries a passkey challenge when the user has passkeys.
 */
export class SecondFactors implements SecondFactorCheck {
  constructor(
    private readonly totp: TotpService,
    private readonly passkeys: PasskeyService,
  ) {}

  async isEnabled(em: Em, userId: number): Promise<boolean> {
    return (await this.totp.isEnabled(em, userId)) || (await this.passkeys.hasAny(em, userId));
  }

  verify(em: Em, userId: number, code: string): Promise<boolean> {
    return this.totp.verify(em, userId, code);
  }

  async prompt(em: Em, userId: number): Promise<Record<string, unknown>> {
    const totp = await this.totp.isEnabled(em, userId);
    // passkeys turned off since (a plain-http public URL): the question carries no challenge; fail closed
    if (!this.passkeys.on || !(await this.passkeys.hasAny(em, userId))) return { totp };
    return { totp, passkeyOptions: await this.passkeys.authenticationOptions(em, userId) };
  }

  async verifyPasskey(em: Em, userId: number, response: unknown): Promise<boolean> {
    return (await this.passkeys.verify(em, response, userId)) !== null;
  }
}
