import type { Em } from '../db/orm.js';
import { ApiToken } from '../modules/auth/api-token.entity.js';
import { TokenScope } from '../modules/auth/token-scope.js';
import { User } from '../modules/user/user.entity.js';
import type { Services } from '../services.js';

export class UsageError extends Error {}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(i, 2);
  return value;
}

function switchOn(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

/** borg-hive user create|passwd|list. Passwords come on standard input, never on the command line. */
export async function userCommand(
  services: Services,
  em: Em,
  args: string[],
  readSecret: () => Promise<string>,
): Promise<string> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const email = flag(rest, '--email');
      const isAdmin = switchOn(rest, '--admin');
      const [username] = rest;
      if (!username)
        throw new UsageError('borg-hive user create <username> [--email E] [--admin] < password');
      const user = await services.users.create(em, {
        username,
        email: email ?? `${username}@localhost`,
        password: await readSecret(),
        isAdmin,
      });
      return `created user ${user.username} (id ${user.id}${user.isAdmin ? ', admin' : ''})`;
    }
    case 'passwd': {
      const [username] = rest;
      if (!username) throw new UsageError('borg-hive user passwd <username> < password');
      await services.credentials.resetPassword(em, username, await readSecret());
      return `password of ${username} changed; their login sessions ended`;
    }
    case 'list': {
      const users = await em.find(User, {}, { orderBy: { username: 'asc' } });
      return users.map((u) => `${u.id}\t${u.username}\t${u.email}${u.isAdmin ? '\tadmin' : ''}`).join('\n');
    }
    default:
      throw new UsageError('borg-hive user create|passwd|list');
  }
}

/** borg-hive token create <username> <name> <scope> [--expires ISO] | list [username] | revoke <id>. */
export async function tokenCommand(services: Services, em: Em, args: string[]): Promise<string> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const expires = flag(rest, '--expires');
      const [username, name, scopeRaw] = rest;
      const scope = Object.values(TokenScope).find((s) => s === scopeRaw);
      if (!username || !name || !scope) {
        throw new UsageError(
          `borg-hive token create <username> <name> <${Object.values(TokenScope).join('|')}> [--expires ISO-date]`,
        );
      }
      const user = await em.findOne(User, { username });
      if (!user) throw new UsageError(`no user ${username}`);
      const expiresAt = expires ? new Date(expires) : null;
      if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new UsageError('--expires needs an ISO date');
      const { token, apiToken } = await services.auth.createApiToken(em, user.id, name, scope, expiresAt);
      return `${token}\n(token ${apiToken.id} "${apiToken.name}" ${scope}; shown once)`;
    }
    case 'list': {
      const [username] = rest;
      const where = username ? { user: { username } } : {};
      const tokens = await em.find(ApiToken, where, { populate: ['user'], orderBy: { id: 'asc' } });
      return tokens
        .map((t) =>
          [
            t.id,
            t.user.getEntity().username,
            t.name,
            t.scope,
            t.expiresAt?.toISOString() ?? 'never',
            t.revokedAt ? 'revoked' : 'active',
          ].join('\t'),
        )
        .join('\n');
    }
    case 'revoke': {
      const id = Number(rest[0]);
      if (!Number.isInteger(id)) throw new UsageError('borg-hive token revoke <id>');
      if (!(await em.count(ApiToken, { id }))) throw new UsageError(`no token ${id}`);
      await services.credentials.revokeApiToken(em, null, id);
      return `token ${id} revoked`;
    }
    default:
      throw new UsageError('borg-hive token create|list|revoke');
  }
}
