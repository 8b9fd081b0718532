import type { SshKeyType } from '@borg-hive/rules';
import { CURVES, checkEcPoint } from './ssh-key.curves.js';
import { SshKeyFormatError } from './ssh-key.error.js';
import { WireReader, bitLength } from './ssh-key.wire.js';

export const MIN_RSA_BITS = 2048;
/** OpenSSH refuses larger moduli (OPENSSL_RSA_MAX_MODULUS_BITS). */
export const MAX_RSA_BITS = 16384;

/**
 * Decodes the wire-format blob of a key whose line says `type`, checks every field, and returns
 * the key size in bits as `ssh-keygen -l` prints it.
 */
export function readKeyBlob(type: SshKeyType, blob: Buffer): number {
  const reader = new WireReader(blob);
  const inner = reader.readString('the key type').toString('latin1');
  if (inner !== type) {
    throw new SshKeyFormatError(`the key data says ${shown(inner)} but the line says ${type}`);
  }
  const bits = readKeyFields(type, reader);
  reader.expectEnd();
  return bits;
}

function readKeyFields(type: SshKeyType, reader: WireReader): number {
  switch (type) {
    case 'ssh-ed25519':
      readEd25519(reader);
      return 256;
    case 'sk-ssh-ed25519@openssh.com':
      readEd25519(reader);
      readApplication(reader);
      return 256;
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521':
      return readEcdsa(type.slice('ecdsa-sha2-'.length), type, reader);
    case 'sk-ecdsa-sha2-nistp256@openssh.com': {
      const bits = readEcdsa('nistp256', type, reader);
      readApplication(reader);
      return bits;
    }
    case 'ssh-rsa':
      return readRsa(reader);
  }
}

function readEd25519(reader: WireReader): void {
  const key = reader.readString('the ed25519 public key');
  if (key.length !== 32) {
    throw new SshKeyFormatError(`an ed25519 public key must be 32 bytes (this one has ${key.length})`);
  }
}

function readEcdsa(curveName: string, type: SshKeyType, reader: WireReader): number {
  const named = reader.readString('the curve name').toString('latin1');
  if (named !== curveName) {
    throw new SshKeyFormatError(`the key data names curve ${shown(named)} but the line says ${type}`);
  }
  const curve = CURVES[curveName];
  if (curve === undefined) throw new Error(`no parameters for curve ${curveName}`);
  checkEcPoint(curveName, curve, reader.readString('the ECDSA point'));
  return curve.bits;
}

/**
 * FIDO keys carry the application (relying party) they were enrolled for: "ssh:" or "ssh:<name>"
 * from ssh-keygen, an origin for WebAuthn-style keys. sshd accepts any; we ask for printable ASCII.
 */
function readApplication(reader: WireReader): void {
  const application = reader.readString('the FIDO application').toString('latin1');
  if (!/^[\x21-\x7e][\x20-\x7e]{0,254}$/.test(application)) {
    throw new SshKeyFormatError('the FIDO application in the key data is empty or not printable ASCII');
  }
}

function readRsa(reader: WireReader): number {
  const exponent = reader.readUnsignedMpint('the RSA exponent');
  const modulus = reader.readUnsignedMpint('the RSA modulus');
  const bits = bitLength(modulus);
  if (bits < MIN_RSA_BITS) {
    throw new SshKeyFormatError(`RSA keys need at least ${MIN_RSA_BITS} bits (this one has ${bits})`);
  }
  if (bits > MAX_RSA_BITS) {
    throw new SshKeyFormatError(`RSA keys may have at most ${MAX_RSA_BITS} bits (this one has ${bits})`);
  }
  const last = (magnitude: Buffer): number => magnitude[magnitude.length - 1] ?? 0;
  // OpenSSL refuses exponents over 64 bits for large moduli; e must be odd and at least 3.
  if (bitLength(exponent) > 64 || last(exponent) % 2 === 0 || bitLength(exponent) < 2) {
    throw new SshKeyFormatError('the RSA public exponent is invalid');
  }
  if (last(modulus) % 2 === 0) throw new SshKeyFormatError('the RSA modulus is invalid (it is even)');
  return bits;
}

/** Puts a name read from the blob into a message, or says it is garbled when it is not plain text. */
function shown(name: string): string {
  if (!/^[\x21-\x7e]{1,64}$/.test(name)) return 'something garbled';
  return name;
}
