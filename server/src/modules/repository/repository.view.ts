import type { RepositoryLocation } from '../location/location.entity.js';
import type { Group } from '../user/group.entity.js';
import type { User } from '../user/user.entity.js';
import type { HealthFacts } from './health.js';
import type { RepositoryMode } from './repository-mode.js';
import type { RepositoryShareView } from './repository-share.view.js';

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

/**
 * A repository as the list reads it: plain fields named like the entity's, relations as plain values
 * (the few locations, owners and groups are entities; the many keys are plain rows).
 */
export interface RepositoryView extends HealthFacts {
  id: number;
  name: string;
  repoUser: string;
  uid: number;
  gid: number;
  mode: RepositoryMode;
  quotaBytes: number | null;
  usageBytes: number | null;
  lastAlertAt: Date | null;
  pingUuid: string;
  /** stored by HealthStore: the sort keys of repositoryPage (health itself is computed from the facts) */
  lastBackupAt: Date | null;
  healthRank: number;
  location: RepositoryLocation;
  owner: User;
  groups: Group[];
  shares: RepositoryShareView[];
  sshKeys: SshKeyView[];
  appendOnlySshKeys: SshKeyView[];
}
