import { SshKeyFormatError } from './ssh-key.error.js';

/** Reads the SSH wire format (RFC 4251 §5): uint32-length-prefixed strings and mpints. */
export class WireReader {
  #offset = 0;

  constructor(private readonly buf: Buffer) {}

  /** Reads one length-prefixed string; `what` names the field in the error if the blob ends early. */
  readString(what: string): Buffer {
    const left = this.buf.length - this.#offset;
    if (left < 4 || this.buf.readUInt32BE(this.#offset) > left - 4) {
      throw new SshKeyFormatError(`the key data is truncated (it ends inside ${what})`);
    }
    const length = this.buf.readUInt32BE(this.#offset);
    const start = this.#offset + 4;
    this.#offset = start + length;
    return this.buf.subarray(start, this.#offset);
  }

  /** Reads a non-negative mpint and returns its magnitude without leading zero bytes. */
  readUnsignedMpint(what: string): Buffer {
    const bytes = this.readString(what);
    if (bytes.length > 0 && (bytes[0] & 0x80) !== 0) {
      throw new SshKeyFormatError(`the key data holds a negative number as ${what}`);
    }
    let first = 0;
    while (first < bytes.length && bytes[first] === 0) first++;
    return bytes.subarray(first);
  }

  /** Fails unless every byte was read: a blob with extra bytes is not the key it claims to be. */
  expectEnd(): void {
    const extra = this.buf.length - this.#offset;
    if (extra > 0) {
      throw new SshKeyFormatError(
        `the key data has ${extra} unexpected byte${extra === 1 ? '' : 's'} at the end`,
      );
    }
  }
}

/** Number of significant bits of a big-endian magnitude without leading zero bytes. */
export function bitLength(magnitude: Buffer): number {
  if (magnitude.length === 0) return 0;
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]));
}
