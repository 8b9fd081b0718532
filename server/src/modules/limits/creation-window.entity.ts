import { Entity, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { User } from '../user/index.js';

/**
 * Creations (repositories, ssh keys, channels, API tokens) of one user in the current minute, in the
 * database so every API instance counts the same; written only under the user's row lock (CreationLimits).
 */
@Entity({ tableName: 'creation_windows' })
export class CreationWindow {
  @ManyToOne(() => User, { primary: true, deleteRule: 'cascade' })
  user!: User;

  @Property({ type: 'datetime', length: 3 })
  startedAt!: Date;

  @Property({ type: 'integer' })
  count!: number;
}
