import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { BadUserInputError, ConflictError, NotFoundError, type FieldProblem } from '../../graphql/errors.js';
import { hashPassword } from '../../security/secrets.js';
import { Group } from './group.entity.js';
import { User } from './user.entity.js';

export const USERNAME = /^[a-z_][a-z0-9_.-]{0,63}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}$/;

export function passwordProblems(password: string): FieldProblem[] {
  if (password.length < 8) return [{ field: 'password', message: 'at least 8 characters' }];
  if (password.length > 1024) return [{ field: 'password', message: 'at most 1024 characters' }];
  return [];
}

export class UserService {
  constructor(private readonly clock: Clock) {}

  async create(
    em: Em,
    input: { username: string; password: string; email: string; isAdmin?: boolean },
  ): Promise<User> {
    const problems: FieldProblem[] = [];
    if (!USERNAME.test(input.username)) {
      problems.push({
        field: 'username',
        message: 'lower-case letters, digits, _ . -; start with a letter or _; at most 64',
      });
    }
    if (!EMAIL.test(input.email)) problems.push({ field: 'email', message: 'not an e-mail address' });
    problems.push(...passwordProblems(input.password));
    if (problems.length) throw BadUserInputError.fromProblems(problems);
    if (await em.count(User, { username: input.username }))
      throw new ConflictError(`user ${input.username} exists`);
    const user = em.create(User, {
      username: input.username,
      email: input.email,
      passwordHash: await hashPassword(input.password),
      isAdmin: input.isAdmin ?? false,
      createdAt: this.clock.now(),
    });
    try {
      await em.flush();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException)
        throw new ConflictError(`user ${input.username} exists`);
      throw err;
    }
    return user;
  }

  async createGroup(em: Em, name: string, memberIds: number[]): Promise<Group> {
    await assertFreeGroupName(em, name);
    const members = memberIds.length ? await em.find(User, { id: { $in: memberIds } }) : [];
    const missing = memberIds.filter((id) => !members.some((m) => m.id === id));
    if (missing.length)
      throw BadUserInputError.fromProblems([
        { field: 'memberIds', message: `no user ${missing.join(', ')}` },
      ]);
    const group = em.create(Group, { name, createdAt: this.clock.now() });
    group.members.set(members);
    await em.flush();
    return group;
  }

  /** Renames a group (admin only, checked by the resolver); shares and members stay. */
  async renameGroup(em: Em, id: number, name: string): Promise<Group> {
    const group = await em.findOne(Group, { id });
    if (!group) throw new NotFoundError('group', id);
    if (group.name === name) return group;
    await assertFreeGroupName(em, name);
    group.name = name;
    await flushUnique(em, `group ${name} exists`);
    return group;
  }

  /**
   * Deletes a user (admin only, checked by the resolver) with their keys, channels, tokens and sessions.
   * Refused for oneself, and while they own repositories: those are deleted (or kept) on purpose first.
   */
  async deleteUser(em: Em, actorId: number, id: number): Promise<boolean> {
    if (id === actorId) throw new BadUserInputError('you cannot delete yourself');
    const user = await em.findOne(User, { id });
    if (!user) throw new NotFoundError('user', id);
    // Counted in SQL: the repository module builds on this one (its entity cannot be imported here).
    const [row] = await em
      .getConnection()
      .execute<{ n: number | string }[]>('select count(*) as n from repositories where owner_id = ?', [id]);
    const owned = Number(row?.n ?? 0);
    if (owned > 0) {
      throw new ConflictError(
        `${user.username} owns ${owned === 1 ? '1 repository' : `${owned} repositories`}: delete ${owned === 1 ? 'it' : 'them'} first`,
      );
    }
    em.remove(user);
    await em.flush();
    return true;
  }
}

/** A group name as the hive allows it, not yet taken. */
async function assertFreeGroupName(em: Em, name: string): Promise<void> {
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(name)) {
    throw BadUserInputError.fromProblems([
      { field: 'name', message: '1-64 of letters, digits, space . _ -' },
    ]);
  }
  if (await em.count(Group, { name })) throw new ConflictError(`group ${name} exists`);
}

/** Flushes; a unique key hit by a concurrent write is the same CONFLICT the check above gives. */
async function flushUnique(em: Em, conflict: string): Promise<void> {
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw new ConflictError(conflict);
    throw err;
  }
}
