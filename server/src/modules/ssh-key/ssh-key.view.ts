/** An ssh key as the repository list reads it: a plain row, its owner by id. */
export interface SshKeyView {
  id: number;
  name: string;
  type: string;
  keyData: string;
  bits: number;
  fingerprint: string;
  comment: string | null;
  ownerId: number;
  lastUsedAt: Date | null;
  createdAt: Date;
}
