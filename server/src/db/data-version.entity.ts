import { BigIntType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Counters that database triggers raise on every insert, update and delete of the tables a repository
 * list is read from (see the migrations that create them); their sum is the data version. Readers compare
 * it to tell whether anything they read may have changed, across processes and hives on one database.
 */
@Entity({ tableName: 'data_versions' })
export class DataVersion {
  @PrimaryKey({ autoincrement: false })
  id!: number;

  @Property({ type: new BigIntType('number') })
  version!: number;
}
