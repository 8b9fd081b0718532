import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts the secrets the hive stores (channel tokens, client keys, passphrases) with AES-256-GCM.
 * A sealed value is `bh1:<base64url(iv | tag | ciphertext)>`; the version prefix leaves room for another
 * cipher or key. `open` passes a value without the prefix through unchanged, so rows written before
 * encryption stay readable until they are written again.
 */
export interface SecretBox {
  seal(plaintext: string): string;
  /** Throws `SecretBoxError` when the value was sealed with another key or was altered. */
  open(stored: string): string;
  isSealed(stored: string): boolean;
}

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

export const KEY_BYTES = 32;
const PREFIX = 'bh1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new SecretBoxError(`the secret key must be ${KEY_BYTES} bytes`);
  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('a sealed secret is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch (err) {
        throw new SecretBoxError('a sealed secret does not open with this key (BORGHIVE_SECRET_KEY_FILE)', {
          cause: err,
        });
      }
    },
    isSealed: (stored) => stored.startsWith(PREFIX),
  };
}
