import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  type FieldProblem,
} from '../../graphql/errors.js';
import { canAccess, shareableOf, visibleWhere, type AuthInfo } from '../auth/index.js';
import { Repository } from '../repository/index.js';
import { Group, User } from '../user/index.js';
import type { CreationLimits } from '../limits/index.js';
import {
  ChannelDeliveryError,
  ChannelSettingsError,
  type AlertMessage,
  type ChannelContext,
} from './channels/channel-driver.js';
import {
  channelDrivers,
  configureChannel,
  restoreRedacted,
  type ConfiguredChannel,
} from './channels/channel-registry.js';
import type { ChannelSecrets } from './channel-secrets.js';
import { RateLimiter } from '../../http/rate-limit.js';
import { NotificationChannel } from './notification-channel.entity.js';
import type { NotificationChannelInput } from './notification.inputs.js';
import { validateRules, type AlertRules } from './alert-rules.js';

/** Test messages a user may send per minute: each one is a request to a URL of their choice. */
export const TESTS_PER_MINUTE = 10;

export class NotificationChannelService {
  private readonly testLimiter: RateLimiter;

  constructor(
    private readonly clock: Clock,
    private readonly channelContext: () => ChannelContext,
    /** Seals settings for the database and opens them again (the delivery worker uses it too). */
    readonly secrets: ChannelSecrets,
    private readonly limits: CreationLimits,
  ) {
    this.testLimiter = new RateLimiter(TESTS_PER_MINUTE, 60_000, { now: () => this.clock.now().getTime() });
  }

  async list(em: Em, auth: AuthInfo): Promise<NotificationChannel[]> {
    const where = visibleWhere(auth);
    return em.find(NotificationChannel, where, { populate: ['groups'], orderBy: { name: 'asc', id: 'asc' } });
  }

  async get(em: Em, auth: AuthInfo, id: number): Promise<NotificationChannel> {
    const c = await em.findOne(NotificationChannel, { id }, { populate: ['groups'] });
    if (!c || !canAccess(auth, shareableOf(c))) throw new NotFoundError('notification channel', id);
    return c;
  }

  /**
   * A channel the caller may change: only its owner or an admin. Group members see a shared channel
   * (and its delivery log) but may not point it elsewhere: its alerts are about the owner's repositories.
   */
  private async getOwned(em: Em, auth: AuthInfo, id: number): Promise<NotificationChannel> {
    const channel = await this.get(em, auth, id);
    if (!auth.isAdmin && channel.owner.id !== auth.userId)
      throw new ForbiddenError('only the owner of a notification channel (or an admin) may change it');
    return channel;
  }

  /** Validates name, kind settings (field by field), groups and repositories; lists every problem. */
  private async validate(em: Em, auth: AuthInfo, input: NotificationChannelInput) {
    const problems: FieldProblem[] = [];
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100)
      problems.push({ field: 'name', message: '1 to 100 characters' });
    let settings: unknown = null;
    try {
      settings = channelDrivers[input.kind].validateSettings(input.settings);
      assertMayConfigure(auth, configureChannel(input.kind, settings));
    } catch (err) {
      if (!(err instanceof ChannelSettingsError)) throw err;
      problems.push(...err.fieldErrors.map((f) => ({ field: `settings.${f.field}`, message: f.message })));
    }
    let rules: AlertRules | null = null;
    try {
      // absent (undefined) is handled by the caller (update keeps the stored rules)
      rules = input.rules === undefined ? null : validateRules(input.rules);
    } catch (err) {
      if (!(err instanceof ChannelSettingsError)) throw err;
      problems.push(...err.fieldErrors);
    }
    const repoIds = (input.repositoryIds ?? []).map((r) => (/^\d{1,10}$/.test(r) ? Number(r) : 0));
    const repos = repoIds.length
      ? await em.find(Repository, { id: { $in: repoIds } }, { populate: ['groups'] })
      : [];
    const visibleRepos = repos.filter((r) => canAccess(auth, shareableOf(r)));
    const missingRepos = repoIds.filter((id) => !visibleRepos.some((r) => r.id === id));
    if (missingRepos.length)
      problems.push({
        field: 'repositoryIds',
        message: `no repository you may see with id ${missingRepos.join(', ')}`,
      });
    const groupIds = (input.groupIds ?? []).map((g) => (/^\d{1,10}$/.test(g) ? Number(g) : 0));
    const groups = groupIds.length ? await em.find(Group, { id: { $in: groupIds } }) : [];
    const allowed = groups.filter((g) => auth.isAdmin || auth.groupIds.includes(g.id));
    const missingGroups = groupIds.filter((id) => !allowed.some((g) => g.id === id));
    if (missingGroups.length)
      problems.push({
        field: 'groupIds',
        message: `you are not a member of group ${missingGroups.join(', ')}`,
      });
    if (problems.length) throw BadUserInputError.fromProblems(problems);
    return {
      name,
      settings: settings as Record<string, unknown>,
      rules: rules as Record<string, unknown> | null,
      repos: visibleRepos,
      groups: allowed,
    };
  }

  async create(em: Em, auth: AuthInfo, input: NotificationChannelInput): Promise<NotificationChannel> {
    const v = await this.validate(em, auth, input);
    const channel = em.create(NotificationChannel, {
      name: v.name,
      kind: input.kind,
      enabled: input.enabled ?? true,
      settings: this.secrets.seal(v.settings),
      rules: v.rules,
      owner: em.getReference(User, auth.userId),
      createdAt: this.clock.now(),
    });
    channel.repositories.set(v.repos);
    channel.groups.set(v.groups);
    await this.limits.flushCreation(em, auth.userId, 'channels');
    return channel;
  }

  async update(
    em: Em,
    auth: AuthInfo,
    id: number,
    input: NotificationChannelInput,
  ): Promise<NotificationChannel> {
    const channel = await this.getOwned(em, auth, id);
    const v = await this.validate(em, auth, { ...input, settings: this.storedUnlessSent(channel, input) });
    Object.assign(channel, {
      name: v.name,
      kind: input.kind,
      enabled: input.enabled ?? true,
      settings: this.secrets.seal(v.settings),
      ...(input.rules === undefined ? {} : { rules: v.rules }),
    });
    // Absent (or null): the limit stays as it is; [] lifts it. The collection is loaded first so
    // set() replaces the stored rows instead of only adding to them.
    if (input.repositoryIds != null) {
      await em.populate(channel, ['repositories']);
      channel.repositories.set(v.repos);
    }
    if (input.groupIds != null) channel.groups.set(v.groups);
    await em.flush();
    return channel;
  }

  async delete(em: Em, auth: AuthInfo, id: number): Promise<boolean> {
    em.remove(await this.getOwned(em, auth, id));
    await em.flush();
    return true;
  }

  /**
   * Sends a test message with unsaved settings, at most `TESTS_PER_MINUTE` per user; a failure reaches
   * the client as the hive describes it (status, error code), never with the answer's body.
   */
  async test(auth: AuthInfo, input: NotificationChannelInput): Promise<boolean> {
    const outcome = await this.sendTest(auth, input.kind, input.settings);
    if (outcome.error !== null)
      throw new BadUserInputError(`the test message was not delivered: ${outcome.error}`);
    return true;
  }

  /**
   * A test message through a stored channel (owner or admin only): its stored settings, or `input`'s
   * with the fields sent back redacted taken from the stored ones (the edit form's "Send test"). The
   * caller records the outcome in the delivery log, then reports a failure as `test` does.
   */
  async testStored(
    em: Em,
    auth: AuthInfo,
    id: number,
    input: NotificationChannelInput | null,
  ): Promise<{ channel: NotificationChannel } & TestOutcome> {
    const channel = await this.getOwned(em, auth, id);
    const kind = input?.kind ?? channel.kind;
    const settings = input ? this.storedUnlessSent(channel, input) : this.secrets.open(channel.settings);
    return { channel, ...(await this.sendTest(auth, kind, settings)) };
  }

  /** The settings to use: `input`'s, with redacted fields taken from the stored ones when the kind is kept. */
  private storedUnlessSent(
    channel: NotificationChannel,
    input: NotificationChannelInput,
  ): Record<string, unknown> {
    return input.kind === channel.kind
      ? restoreRedacted(input.kind, input.settings, this.secrets.open(channel.settings))
      : input.settings;
  }

  /** Rate limit, validation and permission (thrown), then one send: its failure is returned, not thrown. */
  private async sendTest(
    auth: AuthInfo,
    kind: NotificationChannelInput['kind'],
    settings: Record<string, unknown>,
  ): Promise<TestOutcome> {
    if (!this.testLimiter.hit(String(auth.userId)))
      throw new RateLimitedError(`at most ${TESTS_PER_MINUTE} test messages a minute; try again shortly`, 60);
    let channel: ConfiguredChannel;
    try {
      channel = configureChannel(kind, settings);
      assertMayConfigure(auth, channel);
    } catch (err) {
      if (err instanceof ChannelSettingsError) {
        throw BadUserInputError.fromProblems(
          err.fieldErrors.map((f) => ({ field: `settings.${f.field}`, message: f.message })),
        );
      }
      throw err;
    }
    const message: AlertMessage = {
      state: 'TEST',
      title: 'Borg Hive test notification',
      body: `A friendly test notification from Borg Hive, sent by ${auth.username}.`,
      repository: null,
      lastBackupAt: null,
      createdAt: this.clock.now(),
    };
    try {
      await channel.send(message, this.channelContext());
      return { message, error: null };
    } catch (err) {
      if (err instanceof ChannelDeliveryError) return { message, error: err.message };
      throw err;
    }
  }

  redacted(channel: NotificationChannel): Record<string, unknown> {
    return configureChannel(channel.kind, this.secrets.open(channel.settings)).redacted;
  }
}

/** What one test send did: the message as sent, and why it failed (null: the provider accepted it). */
export interface TestOutcome {
  message: AlertMessage;
  error: string | null;
}

/** Settings only an admin may save or test (see ChannelDriver.adminOnly): others get FORBIDDEN. */
function assertMayConfigure(auth: AuthInfo, channel: ConfiguredChannel): void {
  if (channel.adminOnly !== null && !auth.isAdmin) throw new ForbiddenError(channel.adminOnly);
}
