import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { BadUserInputError, ConflictError, type FieldProblem } from '../../graphql/errors.js';
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
    if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(name)) {
      throw BadUserInputError.fromProblems([
        { field: 'name', message: '1-64 of letters, digits, space . _ -' },
      ]);
    }
    if (await em.count(Group, { name })) throw new ConflictError(`group ${name} exists`);
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
}
