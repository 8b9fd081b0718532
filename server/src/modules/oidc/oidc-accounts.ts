import type { OidcConfig } from '../../config/config.js';
import type { Em } from '../../db/orm.js';
import { generatePassword } from '../../security/secrets.js';
import { Group, User, type UserService, USERNAME } from '../user/index.js';

/** What the hive takes from a provider's ID token (and userinfo) to find or make the account. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  /** The value of BORGHIVE_OIDC_USERNAME_CLAIM. */
  preferredName: string | null;
  /** The values of BORGHIVE_OIDC_GROUPS_CLAIM; null when the claim is not configured. */
  groups: string[] | null;
}

/** A sign-in the hive refuses, with the reason shown to the person (never a secret). */
export class OidcRefusal extends Error {
  override readonly name = 'OidcRefusal';
}

function usernameBase(identity: OidcIdentity): string {
  const raw = identity.preferredName ?? identity.email?.split('@')[0] ?? `user-${identity.subject}`;
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z_]+/, '')
    .slice(0, 56);
  return USERNAME.test(cleaned) ? cleaned : 'user';
}

/**
 * The account of an OpenID Connect identity: the one linked to (issuer, sub); else, when the admin
 * allows it, the one account whose e-mail the provider says it verified; else a new account (unless
 * BORGHIVE_OIDC_CREATE_USERS=false). A name taken by another account is never linked: the new account
 * gets a suffix. Group and admin mapping are applied on every sign-in.
 */
export class OidcAccounts {
  constructor(
    private readonly settings: OidcConfig,
    private readonly users: UserService,
  ) {}

  async accountFor(em: Em, identity: OidcIdentity): Promise<{ user: User; created: boolean }> {
    let created = false;
    let user =
      (await em.findOne(
        User,
        { oidcIssuer: identity.issuer, oidcSubject: identity.subject },
        { populate: ['groups'] },
      )) ?? (await this.linkByEmail(em, identity));
    if (!user) {
      if (!this.settings.createUsers)
        throw new OidcRefusal(
          'there is no hive account for you yet: ask an administrator to create or link one',
        );
      user = await this.create(em, identity);
      created = true;
    }
    await this.mapGroups(em, user, identity);
    await em.flush();
    return { user, created };
  }

  private async linkByEmail(em: Em, identity: OidcIdentity): Promise<User | null> {
    if (!this.settings.linkByEmail || !identity.email || !identity.emailVerified) return null;
    const email = identity.email;
    const matches = await em.find(
      User,
      { email: { $in: [...new Set([email, email.toLowerCase()])] } },
      { populate: ['groups'] },
    );
    if (matches.length !== 1) return null;
    const [user] = matches;
    if (!user || user.oidcSubject !== null) return null;
    user.oidcIssuer = identity.issuer;
    user.oidcSubject = identity.subject;
    return user;
  }

  private async create(em: Em, identity: OidcIdentity): Promise<User> {
    const base = usernameBase(identity);
    for (let n = 1; n <= 20; n++) {
      const username = n === 1 ? base : `${base}-${n}`;
      if ((await em.count(User, { username })) > 0) continue;
      const user = await this.users.create(em, {
        username,
        // no password anyone knows: this account signs in through the provider
        password: generatePassword(),
        email: identity.email ?? `${username}@users.invalid`,
      });
      user.oidcIssuer = identity.issuer;
      user.oidcSubject = identity.subject;
      await em.populate(user, ['groups']);
      return user;
    }
    throw new OidcRefusal(`no free user name near "${base}": ask an administrator to create your account`);
  }

  /** BORGHIVE_OIDC_GROUPS_CLAIM: the provider owns group membership and (with ADMIN_GROUP) admin rights. */
  private async mapGroups(em: Em, user: User, identity: OidcIdentity): Promise<void> {
    if (this.settings.groupsClaim === null) return;
    const names = identity.groups ?? [];
    const groups = names.length > 0 ? await em.find(Group, { name: { $in: names } }) : [];
    user.groups.set(groups);
    if (this.settings.adminGroup !== null) user.isAdmin = names.includes(this.settings.adminGroup);
  }
}
