import { registerEnumType } from 'type-graphql';

export enum RepositoryMode {
  BORG = 'BORG',
  IMPORT = 'IMPORT',
  EXPORT = 'EXPORT',
}

registerEnumType(RepositoryMode, {
  name: 'RepositoryMode',
  valuesConfig: {
    BORG: { description: 'borg serve (default)' },
    IMPORT: { description: 'write-only rsync (rrsync -wo) to bring an existing repository in' },
    EXPORT: { description: 'read-only rsync (rrsync -ro) to take the repository out' },
  },
});
