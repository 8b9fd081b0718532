import { registerEnumType } from 'type-graphql';

/** What members of a group a repository is shared with may do (repository-audience.ts has the rule). */
export enum ShareRole {
  VIEW = 'VIEW',
  OPERATE = 'OPERATE',
  MANAGE = 'MANAGE',
}

registerEnumType(ShareRole, {
  name: 'ShareRole',
  valuesConfig: {
    VIEW: { description: 'see the repository, its events and statistics (the default)' },
    OPERATE: { description: 'VIEW, and refresh it (later: run jobs and maintenance)' },
    MANAGE: { description: 'OPERATE, and change its settings, keys, quota and mode, and delete it' },
  },
});
