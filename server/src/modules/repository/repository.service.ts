import { randomUUID } from 'node:crypto';
import { REPOSITORY_NAME } from '@borg-hive/rules';
import { type Collection, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import type { EventBus } from '../../graphql/event-bus.js';
import {
  AccountBackendError,
  BadUserInputError,
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '../../graphql/errors.js';
import { inTransaction } from '../../db/in-transaction.js';
import { canAccess, shareableOf, type AuthInfo } from '../auth/index.js';
import type { EventService } from './event.service.js';
import type { CreationLimits } from '../limits/index.js';
import { type Group, User } from '../user/index.js';
import { RepositoryLocation } from '../location/index.js';
import type { SshKey } from '../ssh-key/index.js';
import type { AccountsBackend } from '../../adapters/accounts/accounts.backend.js';
import {
  audienceOf,
  mayDo,
  RepositoryAction,
  requireRepositoryAction,
  standingOf,
} from './repository-audience.js';
import { detachUnreachableKeys } from './repository-key-detach.js';
import { RepositoryShare } from './repository-share.entity.js';
import type { ShareRole } from './share-role.js';
import { createUserDir, removeDir, renameRepositoryDir } from './repository-dirs.js';
import { RepositoryMode } from './repository-mode.js';
import type { HealthStore } from './health-store.js';
import { Repository } from './repository.entity.js';
import { listRepositories, repositoryViews } from './repository-list.js';
import type { RepositoryView } from './repository.view.js';
import type { CreateRepositoryInput, UpdateRepositoryInput } from './repository.inputs.js';
import { generateRepoUser, repositoryPath, UID_MAX, UID_MIN } from './repository-naming.js';
import { validateRepositoryInput, type ValidRepositoryInput } from './repository-validation.js';

export const repositoryPopulate = [
  'location',
  'owner',
  'sshKeys',
  'appendOnlySshKeys',
  'readOnlySshKeys',
  'writeOnlySshKeys',
  'groups',
  'shares',
  'shares.group',
] as const;

export interface RepositoryServiceDeps {
  /** stores the health columns after each write (repositoryPage orders and counts by them) */
  health: HealthStore;
  repoPath: string;
  repoGid: number;
  accounts: AccountsBackend;
  bus: EventBus;
  events: EventService;
  limits: CreationLimits;
  clock: Clock;
  logger: Logger;
}

export class RepositoryService {
  constructor(private readonly deps: RepositoryServiceDeps) {}

  canSee(auth: AuthInfo, repo: Repository): boolean {
    return canAccess(auth, shareableOf(repo));
  }

  /** Read-only plain views (see listRepositories); single objects and mutations use entities. */
  async list(em: Em, auth: AuthInfo): Promise<RepositoryView[]> {
    return listRepositories(em, auth);
  }

  /** The repository as every read answers it (a plain view) if the caller may see it; else NOT_FOUND. */
  async view(em: Em, auth: AuthInfo, id: number): Promise<RepositoryView> {
    const [view] = await repositoryViews(em, [id]);
    const shares = view?.shares.map((s) => ({ groupId: s.group.id, role: s.role })) ?? [];
    if (!view || !mayDo(standingOf(auth, { ownerId: view.owner.id, shares }), RepositoryAction.VIEW))
      throw new NotFoundError('repository', id);
    return view;
  }

  /** The repository if the caller may see it; NOT_FOUND otherwise (existence is not revealed). */
  async get(em: Em, auth: AuthInfo, id: number): Promise<Repository> {
    return this.getFor(em, auth, id, RepositoryAction.VIEW);
  }

  /** The repository if the caller may do this to it (see RepositoryAction); NOT_FOUND or FORBIDDEN. */
  async getFor(em: Em, auth: AuthInfo, id: number, action: RepositoryAction): Promise<Repository> {
    const repo = await em.findOne(Repository, { id }, { populate: [...repositoryPopulate] });
    if (!repo) throw new NotFoundError('repository', id);
    requireRepositoryAction(auth, repo, action);
    return repo;
  }

  path(repo: Pick<Repository, 'repoUser' | 'name'>): string {
    return repositoryPath({ repoPath: this.deps.repoPath, repoUser: repo.repoUser, name: repo.name });
  }

  userDir(repoUser: string): string {
    return `${this.deps.repoPath}/${repoUser}`;
  }

  async create(em: Em, auth: AuthInfo, input: CreateRepositoryInput): Promise<Repository> {
    if (!REPOSITORY_NAME.test(input.name ?? '')) {
      throw BadUserInputError.fromProblems([
        { field: 'name', message: 'use 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit' },
      ]);
    }
    const valid = await validateRepositoryInput(em, auth, input, null);
    if (await em.count(Repository, { owner: auth.userId, name: input.name })) {
      throw new ConflictError(`you already have a repository named ${input.name}`);
    }
    for (let attempt = 0; attempt < 25; attempt++) {
      try {
        const id = await this.insert(em, auth, input.name, valid);
        await this.deps.health.update(em, [id]);
        em.clear();
        const repo = await this.get(em, auth, id);
        await this.deps.bus.publish('repositoryChanged', audienceOf(repo));
        return repo;
      } catch (err) {
        if (!(err instanceof UniqueConstraintViolationException)) throw err;
        if (/owner_id_name/.test(err.message))
          throw new ConflictError(`you already have a repository named ${input.name}`);
        await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
      }
    }
    throw new ServiceUnavailableError('could not allocate a unique repository user and uid; try again');
  }

  /** One attempt: a transaction that inserts, creates the account and the directory, or leaves nothing. */
  private async insert(em: Em, auth: AuthInfo, name: string, valid: ValidRepositoryInput): Promise<number> {
    const work = em.fork();
    let created: { user: string } | null = null;
    try {
      return await work.transactional(async (tx) => {
        await this.deps.limits.admit(tx as Em, auth.userId, 'repositories');
        const uid = await this.nextUid(tx as Em);
        const repo = tx.create(Repository, {
          name,
          repoUser: generateRepoUser(),
          uid,
          gid: this.deps.repoGid,
          location: valid.location ?? (await this.defaultLocation(tx as Em)),
          mode: valid.mode ?? undefined,
          borgVersion: valid.borgVersion ?? undefined,
          quotaBytes: valid.quotaBytes ?? null,
          alertAfterDays: valid.alertAfterDays ?? null,
          owner: tx.getReference(User, auth.userId),
          pingUuid: randomUUID(),
          createdAt: this.deps.clock.now(),
        });
        repo.sshKeys.set(valid.sshKeys ?? []);
        repo.appendOnlySshKeys.set(valid.appendOnlySshKeys ?? []);
        repo.readOnlySshKeys.set(valid.readOnlySshKeys ?? []);
        repo.writeOnlySshKeys.set(valid.writeOnlySshKeys ?? []);
        for (const { group, role } of valid.shares ?? [])
          tx.create(RepositoryShare, { repository: repo, group, role });
        await tx.flush();
        const home = this.userDir(repo.repoUser);
        try {
          await this.deps.accounts.ensure({ user: repo.repoUser, uid: repo.uid, gid: repo.gid, home });
          created = { user: repo.repoUser };
        } catch (err) {
          this.deps.logger.error({ err, repoUser: repo.repoUser }, 'creating the repository account failed');
          throw new AccountBackendError('the repository was not created');
        }
        await createUserDir(home, repo.uid, repo.gid);
        await this.prepareRsyncDir(repo);
        return repo.id;
      });
    } catch (err) {
      const done = created as { user: string } | null;
      if (done) await this.deps.accounts.remove(done.user).catch(() => undefined);
      throw err;
    }
  }

  /** rrsync refuses a missing directory, so IMPORT/EXPORT repositories get theirs up front (borg init makes its own). */
  private async prepareRsyncDir(repo: Repository): Promise<void> {
    if (repo.mode === RepositoryMode.BORG) return;
    await createUserDir(this.path(repo), repo.uid, repo.gid);
  }

  private async nextUid(em: Em): Promise<number> {
    const conn = em.getConnection();
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the driver types its transaction handle as any
    const tx = em.getTransactionContext();
    const [row] = await conn.execute<{ m: number | null }[]>(
      'select max(uid) as m from repositories',
      [],
      'all',
      tx,
    );
    const max = row?.m == null ? UID_MIN - 1 : Number(row.m);
    if (max < UID_MAX) return Math.max(UID_MIN, max + 1);
    const [gap] = await conn.execute<{ g: number | null }[]>(
      `select min(r.uid + 1) as g from repositories r
        where r.uid + 1 <= ? and not exists (select 1 from repositories s where s.uid = r.uid + 1)`,
      [UID_MAX],
      'all',
      tx,
    );
    if (gap?.g == null) throw new ServiceUnavailableError(`no free uid left in ${UID_MIN}..${UID_MAX}`);
    return Number(gap.g);
  }

  private async defaultLocation(em: Em): Promise<RepositoryLocation> {
    const loc = await em.findOne(RepositoryLocation, { isDefault: true });
    if (!loc) throw new ServiceUnavailableError('no default repository location is configured');
    return loc;
  }

  /**
   * The repository if the caller may manage it (rotate its ping URL): NOT_FOUND when they cannot see
   * it, FORBIDDEN when they may not manage it.
   * One check for every change of a repository's settings.
   */
  async getForUpdate(em: Em, auth: AuthInfo, id: number): Promise<Repository> {
    return this.getFor(em, auth, id, RepositoryAction.MANAGE);
  }

  async update(em: Em, auth: AuthInfo, id: number, input: UpdateRepositoryInput): Promise<Repository> {
    const sharing = input.groupIds != null || input.shares != null;
    const { groupIds: _g, shares: _s, ...settings } = input;
    const managing = !sharing || Object.values(settings).some((v) => v != null);
    const repo = await this.getFor(em, auth, id, sharing ? RepositoryAction.SHARE : RepositoryAction.MANAGE);
    if (managing) requireRepositoryAction(auth, repo, RepositoryAction.MANAGE);
    const valid = await validateRepositoryInput(em, auth, input, repo);
    const oldPath = this.path(repo);
    if (input.name != null && input.name !== repo.name) {
      if (!REPOSITORY_NAME.test(input.name)) {
        throw BadUserInputError.fromProblems([
          { field: 'name', message: 'use 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit' },
        ]);
      }
      if (await em.count(Repository, { owner: repo.owner.id, name: input.name, id: { $ne: repo.id } })) {
        throw new ConflictError(`a repository named ${input.name} exists already`);
      }
      repo.name = input.name;
    }
    if (valid.location) repo.location = em.getReference(RepositoryLocation, valid.location.id) as never;
    if (valid.mode) repo.mode = valid.mode;
    // a running backup's own key (internal: never listed, never given) stays in its set
    const keep = (keys: SshKey[], current: Collection<SshKey>) => [
      ...keys,
      ...current.getItems().filter((k) => k.internal),
    ];
    if (valid.sshKeys) repo.sshKeys.set(keep(valid.sshKeys, repo.sshKeys));
    if (valid.appendOnlySshKeys)
      repo.appendOnlySshKeys.set(keep(valid.appendOnlySshKeys, repo.appendOnlySshKeys));
    if (valid.readOnlySshKeys) repo.readOnlySshKeys.set(valid.readOnlySshKeys);
    if (valid.writeOnlySshKeys) repo.writeOnlySshKeys.set(valid.writeOnlySshKeys);
    if (valid.quotaBytes !== undefined) repo.quotaBytes = valid.quotaBytes;
    if (valid.alertAfterDays !== undefined) repo.alertAfterDays = valid.alertAfterDays;
    const shares = valid.shares;
    const published = await inTransaction(em, async () => {
      if (!shares) return async () => undefined;
      this.setShares(em, repo, shares);
      await em.flush();
      // a member of a group no longer shared with takes its keys along (same transaction)
      return detachUnreachableKeys(em, this.deps.events, { repositoryIds: [repo.id] });
    });
    if (oldPath !== this.path(repo)) await renameRepositoryDir(oldPath, this.path(repo));
    await this.prepareRsyncDir(repo);
    await this.deps.health.update(em, [repo.id]);
    em.clear();
    const fresh = await this.get(em, auth, id);
    await published();
    await this.deps.bus.publish('repositoryChanged', audienceOf(fresh));
    return fresh;
  }

  /** Replaces the repository's shares: removed, role changed, added (flushed by the caller). */
  private setShares(em: Em, repo: Repository, wanted: { group: Group; role: ShareRole }[]): void {
    for (const share of repo.shares.getItems()) {
      const next = wanted.find((w) => w.group.id === share.group.id);
      if (!next) em.remove(share);
      else share.role = next.role;
    }
    for (const { group, role } of wanted)
      if (!repo.shares.getItems().some((s) => s.group.id === group.id))
        em.create(RepositoryShare, { repository: repo, group, role });
  }

  async delete(em: Em, auth: AuthInfo, id: number, deleteData: boolean): Promise<boolean> {
    const repo = await this.getFor(em, auth, id, RepositoryAction.MANAGE);
    const audience = audienceOf(repo);
    const { repoUser } = repo;
    const dir = this.path(repo);
    em.remove(repo);
    await em.flush();
    try {
      await this.deps.accounts.remove(repoUser);
    } catch (err) {
      this.deps.logger.warn({ err, repoUser }, 'account not removed now; the reconciler removes it later');
    }
    if (deleteData) {
      await removeDir(dir);
      await removeDir(this.userDir(repoUser));
    }
    await this.deps.bus.publish('repositoryRemoved', audience);
    return true;
  }
}
