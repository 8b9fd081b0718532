import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KEY_BYTES, SecretBoxError } from './secret-box.js';

/**
 * The key in `path` (base64 text of 32 bytes, or the 32 bytes themselves), created with mode 0600 when
 * the file does not exist. The new key is written whole to a temporary file and hard-linked into place
 * (which fails when the name exists), so two processes starting at once end up with one complete key.
 */
export function loadOrCreateSecretKey(path: string): { key: Buffer; created: boolean } {
  let created = false;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(temporary, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    linkSync(temporary, path);
    created = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SecretBoxError(`cannot create the secret key file ${path}: ${(err as Error).message}`);
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  const raw = readFileSync(path);
  const key = raw.length === KEY_BYTES ? raw : Buffer.from(raw.toString('utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError(`${path} must hold ${KEY_BYTES} random bytes (raw, or base64 text)`);
  }
  return { key, created };
}
