import { SshKeyFormatError } from './ssh-key.error.js';

/** A NIST prime curve y² = x³ - 3x + b (mod p) with a group of prime order n (cofactor 1). */
interface Curve {
  readonly bits: number;
  readonly p: bigint;
  readonly b: bigint;
  readonly n: bigint;
}

/** The curves OpenSSH uses, by their SSH names (constants from SEC 2 / FIPS 186-4). */
export const CURVES: Readonly<Record<string, Curve>> = {
  nistp256: {
    bits: 256,
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
  nistp384: {
    bits: 384,
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
  nistp521: {
    bits: 521,
    p: (1n << 521n) - 1n,
    b: 0x51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    n: 0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  },
};

/**
 * Checks an SSH ECDSA public point: uncompressed (0x04 || X || Y), on the curve, and within the
 * ranges OpenSSH's sshkey_ec_validate_public() demands, so that sshd will accept what we accept.
 */
export function checkEcPoint(curveName: string, curve: Curve, point: Buffer): void {
  const size = Math.ceil(curve.bits / 8);
  if (point.length === 1 + size && (point[0] === 0x02 || point[0] === 0x03)) {
    throw new SshKeyFormatError('the ECDSA point is compressed; OpenSSH keys use the uncompressed form');
  }
  if (point.length !== 1 + 2 * size || point[0] !== 0x04) {
    throw new SshKeyFormatError(
      `the ECDSA point must be ${1 + 2 * size} bytes starting with 0x04 for ${curveName} ` +
        `(this one has ${point.length} bytes)`,
    );
  }
  const x = toBigInt(point.subarray(1, 1 + size));
  const y = toBigInt(point.subarray(1 + size));
  const { p, b, n } = curve;
  const onCurve = x < p && y < p && (y * y - (x * x * x - 3n * x + b)) % p === 0n;
  if (!onCurve) throw new SshKeyFormatError(`the ECDSA point is not on the ${curveName} curve`);
  const half = n.toString(2).length >> 1;
  if (x.toString(2).length <= half || y.toString(2).length <= half || x >= n - 1n || y >= n - 1n) {
    throw new SshKeyFormatError('the ECDSA point is not a valid public key (OpenSSH would refuse it)');
  }
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}
