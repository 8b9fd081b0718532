/**
 * A pasted public key was rejected. The message is meant for the user who pasted it: it names the
 * problem precisely enough to fix it ("RSA keys need at least 2048 bits (this one has 1024)").
 */
export class SshKeyFormatError extends Error {
  override readonly name = 'SshKeyFormatError';
}
