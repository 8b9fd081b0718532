import type { LimitsConfig } from '../../config/config.js';

/** What a user creates that a per-user limit counts. */
export type LimitKind = 'repositories' | 'sshKeys' | 'channels' | 'apiTokens';

interface KindInfo {
  /** How the error names them. */
  noun: string;
  /** The user's own limit (null: the default). */
  column: string;
  /** Counts the user's objects of this kind: one `?`, the user id. */
  countSql: string;
  default: (config: LimitsConfig) => number;
}

export const LIMIT_KINDS: Record<LimitKind, KindInfo> = {
  repositories: {
    noun: 'repositories',
    column: 'limit_repositories',
    countSql: 'select count(*) as n from repositories where owner_id = ?',
    default: (c) => c.repositories,
  },
  sshKeys: {
    noun: 'ssh keys',
    column: 'limit_ssh_keys',
    countSql: 'select count(*) as n from ssh_keys where owner_id = ? and internal = 0',
    default: (c) => c.sshKeys,
  },
  channels: {
    noun: 'notification channels',
    column: 'limit_channels',
    countSql: 'select count(*) as n from notification_channels where owner_id = ?',
    default: (c) => c.channels,
  },
  apiTokens: {
    noun: 'API tokens (revoke one to make room)',
    column: 'limit_api_tokens',
    countSql: 'select count(*) as n from api_tokens where user_id = ? and revoked_at is null',
    default: (c) => c.apiTokens,
  },
};
