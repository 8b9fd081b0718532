import type { Em } from '../db/orm.js';
import { ApiToken, TokenScope } from '../modules/auth/index.js';
import { RepositoryLocation } from '../modules/location/index.js';
import { User } from '../modules/user/index.js';
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

/** A location by name, or by id when no location has that name. */
async function locationOf(em: Em, nameOrId: string): Promise<RepositoryLocation> {
  const byName = await em.findOne(RepositoryLocation, { name: nameOrId });
  if (byName) return byName;
  const id = /^\d{1,10}$/.test(nameOrId) ? Number(nameOrId) : NaN;
  const byId = Number.isSafeInteger(id) ? await em.findOne(RepositoryLocation, { id }) : null;
  if (!byId)
    throw new UsageError(`no location ${nameOrId} (borg-hive token create ... AGENT --location <name|id>)`);
  return byId;
}

/**
 * borg-hive token create <username> <name> <scope> [--expires ISO] [--location L] | list [username] |
 * revoke <id>. AGENT tokens need --location (the storage node they serve); other scopes refuse it.
 */
export async function tokenCommand(services: Services, em: Em, args: string[]): Promise<string> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const expires = flag(rest, '--expires');
      const locationArg = flag(rest, '--location');
      const [username, name, scopeRaw] = rest;
      const scope = Object.values(TokenScope).find((s) => s === scopeRaw);
      if (!username || !name || !scope) {
        throw new UsageError(
          `borg-hive token create <username> <name> <${Object.values(TokenScope).join('|')}> [--expires ISO-date] [--location <name|id> (AGENT)]`,
        );
      }
      if ((scope === TokenScope.AGENT) !== (locationArg !== undefined)) {
        throw new UsageError(
          scope === TokenScope.AGENT
            ? 'an AGENT token serves one storage node: add --location <name|id>'
            : '--location is only for AGENT tokens',
        );
      }
      const location = locationArg === undefined ? null : await locationOf(em, locationArg);
      const user = await em.findOne(User, { username });
      if (!user) throw new UsageError(`no user ${username}`);
      const expiresAt = expires ? new Date(expires) : null;
      if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new UsageError('--expires needs an ISO date');
      const { token, apiToken } = await services.auth.createApiToken(
        em,
        user.id,
        name,
        scope,
        expiresAt,
        location?.id ?? null,
      );
      const at = location ? ` for location ${location.name}` : '';
      return `${token}\n(token ${apiToken.id} "${apiToken.name}" ${scope}${at}; shown once)`;
    }
    case 'list': {
      const [username] = rest;
      const where = username ? { user: { username } } : {};
      const tokens = await em.find(ApiToken, where, {
        populate: ['user', 'location'],
        orderBy: { id: 'asc' },
      });
      return tokens
        .map((t) =>
          [
            t.id,
            t.user.getEntity().username,
            t.name,
            t.scope === TokenScope.AGENT
              ? `AGENT@${t.location?.getEntity().name ?? '(no location: refused)'}`
              : t.scope,
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
