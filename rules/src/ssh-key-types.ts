/** The key types Borg Hive accepts, as OpenSSH names them on a key line. */
export const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

export type SshKeyType = (typeof SSH_KEY_TYPES)[number];

export function isSshKeyType(name: string): name is SshKeyType {
  return (SSH_KEY_TYPES as readonly string[]).includes(name);
}
