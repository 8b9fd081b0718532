import type { RepositoryLocation } from '../location/index.js';
import type { Group, User } from '../user/index.js';
import type { HealthFacts } from './health.js';
import type { BorgVersion } from './borg-version.js';
import type { RepositoryMode } from './repository-mode.js';
import type { RepositoryShareView } from './repository-share.view.js';
import type { SshKeyView } from '../ssh-key/index.js';

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
  borgVersion: BorgVersion;
  quotaBytes: number | null;
  usageBytes: number | null;
  archiveCount: number | null;
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
  readOnlySshKeys: SshKeyView[];
  writeOnlySshKeys: SshKeyView[];
}
