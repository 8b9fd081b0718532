import { type Opt, type Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne } from '@mikro-orm/decorators/legacy';
import { Group } from '../user/index.js';
import { Repository } from './repository.entity.js';
import { ShareRole } from './share-role.js';

/** One group a repository is shared with, and what its members may do (the rows of repository_groups). */
@Entity({ tableName: 'repository_groups' })
export class RepositoryShare {
  // a Ref: the entities import each other, and a Ref keeps the decorator metadata from reading Repository early
  @ManyToOne(() => Repository, { primary: true, ref: true, deleteRule: 'cascade', updateRule: 'cascade' })
  repository!: Ref<Repository>;

  @ManyToOne(() => Group, { primary: true, deleteRule: 'cascade', updateRule: 'cascade' })
  group!: Group;

  @Enum({ items: () => ShareRole, default: ShareRole.VIEW })
  role: ShareRole & Opt = ShareRole.VIEW;
}
