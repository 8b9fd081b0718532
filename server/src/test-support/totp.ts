import { Secret, TOTP } from 'otpauth';

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) an authenticator app shows for the secret at that time. */
export function totpCode(secretBase32: string, atMs: number): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: atMs,
  });
}
