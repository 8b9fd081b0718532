import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { RepositoryLocation } from '../location/index.js';
import { SshKey, type SshKeyView } from '../ssh-key/index.js';
import { Group, User } from '../user/index.js';
import { lastBackupAt as lastBackupOf, staleFrom } from './alert-schedule.js';
import { BorgVersion } from './borg-version.js';
import { healthOf } from './health.js';
import { repositoryUrl } from './repository-naming.js';
import { RepositoryHealth } from './repository-page.types.js';
import { clampLimit } from './repository-prefetch.js';
import { RepositoryShareView } from './repository-share.view.js';
import { Repository } from './repository.entity.js';
import type { RepositoryView } from './repository.view.js';
import { RepositoryEvent } from './repository-event.entity.js';
import { RepositoryStatistic } from './repository-statistic.entity.js';

/**
 * The derived and related fields of a repository. Every query, mutation and subscription message answers
 * with the same plain RepositoryView (repository-list.ts), so these never ask what shape their parent has.
 */
@Resolver(() => Repository)
export class RepositoryFieldsResolver {
  @FieldResolver(() => String, { description: 'absolute path on the storage node' })
  path(@Root() repo: RepositoryView, @Ctx() ctx: Context): string {
    return ctx.services.repositories.path(repo);
  }

  @FieldResolver(() => String, {
    description: 'what a borg client uses: ssh://<repoUser>@<host>:<port>/./<name>',
  })
  url(@Root() repo: RepositoryView): string {
    return repositoryUrl(repo.repoUser, repo.location.sshHost, repo.location.sshPort, repo.name);
  }

  @FieldResolver(() => String, { description: 'ready to paste on the client' })
  borgInitCommand(@Root() repo: RepositoryView): string {
    // borg 2 has no init: repo-create, which needs a full-access (--permissions all) key
    if (repo.borgVersion === BorgVersion.BORG2)
      return `borg2 -r ${this.url(repo)} repo-create --encryption=aes256-ocb`;
    return `borg init --encryption=repokey-blake2 ${this.url(repo)}`;
  }

  @FieldResolver(() => String, { description: 'Healthchecks-compatible ping URL for borgmatic' })
  pingUrl(@Root() repo: RepositoryView, @Ctx() ctx: Context): string {
    return `${ctx.services.config.http.publicUrl}/ping/${repo.pingUuid}`;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'newer of the last update on disk and the last successful ping',
  })
  lastBackupAt(@Root() repo: RepositoryView): Date | null {
    return lastBackupOf(repo);
  }

  @FieldResolver(() => Boolean, {
    description: 'alertAfterDays is set and the last backup (or creation) is older',
  })
  isStale(@Root() repo: RepositoryView, @Ctx() ctx: Context): boolean {
    const { createdAt, alertAfterDays } = repo;
    const from = staleFrom({ lastBackup: lastBackupOf(repo), createdAt, alertAfterDays });
    if (from === null) return false;
    if (ctx.services.clock.now() >= from) return true;
    ctx.freshness.expireAt(from);
    return false;
  }

  @FieldResolver(() => RepositoryHealth, {
    description: 'contract §7, computed from the stored facts when read (exact at that instant)',
  })
  health(@Root() repo: RepositoryView, @Ctx() ctx: Context): RepositoryHealth {
    const health = healthOf(repo, ctx.services.clock.now(), ctx.services.health.policy);
    if (health.until !== null) ctx.freshness.expireAt(health.until);
    return { state: health.state, reason: health.reason, since: health.since, alertsOff: health.alertsOff };
  }

  @FieldResolver(() => RepositoryLocation)
  location(@Root() repo: RepositoryView): RepositoryLocation {
    return repo.location;
  }

  @FieldResolver(() => [SshKey], { description: 'keys with full access' })
  sshKeys(@Root() repo: RepositoryView): SshKeyView[] {
    return repo.sshKeys;
  }

  @FieldResolver(() => [SshKey], {
    description: 'keys that may only add archives (borg serve --append-only)',
  })
  appendOnlySshKeys(@Root() repo: RepositoryView): SshKeyView[] {
    return repo.appendOnlySshKeys;
  }

  @FieldResolver(() => [SshKey], { description: 'BORG2: keys that may read, not write (--permissions read-only)' })
  readOnlySshKeys(@Root() repo: RepositoryView): SshKeyView[] {
    return repo.readOnlySshKeys;
  }

  @FieldResolver(() => [SshKey], { description: 'BORG2: keys that may add, not read (--permissions write-only)' })
  writeOnlySshKeys(@Root() repo: RepositoryView): SshKeyView[] {
    return repo.writeOnlySshKeys;
  }

  @FieldResolver(() => User)
  owner(@Root() repo: RepositoryView): User {
    return repo.owner;
  }

  @FieldResolver(() => [Group])
  groups(@Root() repo: RepositoryView): Group[] {
    return repo.groups;
  }

  @FieldResolver(() => [RepositoryShareView], {
    description: 'the groups it is shared with, and their roles',
  })
  shares(@Root() repo: RepositoryView): RepositoryShareView[] {
    return repo.shares;
  }

  @FieldResolver(() => [RepositoryEvent], { description: 'newest first' })
  events(
    @Root() repo: RepositoryView,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Ctx() ctx: Context,
  ): RepositoryEvent[] | Promise<RepositoryEvent[]> {
    return ctx.loaders.events.load({ repositoryId: repo.id, limit: clampLimit(limit) });
  }

  @FieldResolver(() => [RepositoryStatistic], { description: 'newest first' })
  statistics(
    @Root() repo: RepositoryView,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Ctx() ctx: Context,
  ): RepositoryStatistic[] | Promise<RepositoryStatistic[]> {
    return ctx.loaders.statistics.load({ repositoryId: repo.id, limit: clampLimit(limit) });
  }
}
