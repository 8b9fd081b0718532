import { createHash } from 'node:crypto';
import { BadUserInputError } from '../../graphql/errors.js';
import { REPOSITORY_NAME } from '@borg-hive/rules';
import { RepositoryOrder } from './repository-page.types.js';

/** A row's position in one order: its sort keys, the first one nullable (LAST_BACKUP, USAGE). */
export interface PagePosition {
  order: RepositoryOrder;
  reverse: boolean;
  /** ATTENTION: the health rank; LAST_BACKUP: epoch ms or null; USAGE: the usage order; NAME: null */
  first: number | null;
  name: string;
  id: number;
}

/**
 * Cursors are base64url JSON plus a check value, so a cursor altered by hand or cut short is refused
 * (BAD_USER_INPUT) instead of paging from somewhere odd. The check is not a secret: a cursor only names
 * a position the caller could name anyway; what matters is that it is read back exactly.
 */
const check = (payload: string) =>
  createHash('sha256').update(`borg-hive repositoryPage ${payload}`).digest('base64url').slice(0, 11);

export function encodeCursor(p: PagePosition): string {
  const payload = Buffer.from(JSON.stringify([p.order, p.reverse ? 1 : 0, p.first, p.name, p.id])).toString(
    'base64url',
  );
  return `${payload}.${check(payload)}`;
}

const bad = (why: string) =>
  BadUserInputError.fromProblems([{ field: 'after', message: `not a cursor of this order: ${why}` }]);

export function decodeCursor(cursor: string, order: RepositoryOrder, reverse: boolean): PagePosition {
  const [payload, sum, extra] = cursor.split('.');
  if (!payload || sum === undefined || extra !== undefined || check(payload) !== sum) throw bad('altered');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw bad('altered');
  }
  if (!Array.isArray(raw) || raw.length !== 5) throw bad('altered');
  const [o, r, first, name, id] = raw as unknown[];
  if (o !== order || r !== (reverse ? 1 : 0))
    throw bad(`it was made for ${String(o)}${r ? ' reversed' : ''}`);
  const firstOk =
    order === RepositoryOrder.NAME
      ? first === null
      : order === RepositoryOrder.ATTENTION
        ? Number.isInteger(first) && (first as number) >= 0 && (first as number) <= 5
        : (first === null && order === RepositoryOrder.LAST_BACKUP) || Number.isSafeInteger(first);
  if (!firstOk || typeof name !== 'string' || !REPOSITORY_NAME.test(name) || !Number.isSafeInteger(id))
    throw bad('altered');
  return { order, reverse, first: first as number | null, name, id: id as number };
}
