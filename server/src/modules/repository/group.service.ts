import type { Em } from '../../db/orm.js';
import { inTransaction } from '../../db/in-transaction.js';
import { NotFoundError } from '../../graphql/errors.js';
import type { EventService } from './event.service.js';
import { detachUnreachableKeys } from './repository-key-detach.js';
import { RepositoryShare } from './repository-share.entity.js';
import { Group, User } from '../user/index.js';

/**
 * Group membership (admin only, checked by the resolver). Whoever leaves a group (removed, or the group
 * deleted) takes their ssh keys off the repositories they reached only through it, in the same transaction.
 */
export class GroupService {
  constructor(private readonly events: EventService) {}

  async addMember(em: Em, groupId: number, userId: number): Promise<Group> {
    const group = await this.group(em, groupId);
    const user = await em.findOne(User, { id: userId });
    if (!user) throw new NotFoundError('user', userId);
    group.members.add(user);
    await em.flush();
    return group;
  }

  async removeMember(em: Em, groupId: number, userId: number): Promise<Group> {
    const group = await this.group(em, groupId);
    const member = group.members.getItems().find((m) => m.id === userId);
    if (!member) throw new NotFoundError(`member ${userId} of group`, groupId);
    const publish = await inTransaction(em, async () => {
      group.members.remove(member);
      await em.flush();
      const repositoryIds = await this.sharedRepositories(em, groupId);
      return detachUnreachableKeys(em, this.events, { repositoryIds, ownerIds: [userId] });
    });
    await publish();
    return group;
  }

  async deleteGroup(em: Em, groupId: number): Promise<boolean> {
    const group = await this.group(em, groupId);
    const memberIds = group.members.getItems().map((m) => m.id);
    const publish = await inTransaction(em, async () => {
      const repositoryIds = await this.sharedRepositories(em, groupId);
      await em.nativeDelete(RepositoryShare, { group: groupId });
      em.remove(group);
      await em.flush();
      return detachUnreachableKeys(em, this.events, { repositoryIds, ownerIds: memberIds });
    });
    await publish();
    return true;
  }

  private async group(em: Em, id: number): Promise<Group> {
    const group = await em.findOne(Group, { id }, { populate: ['members'] });
    if (!group) throw new NotFoundError('group', id);
    return group;
  }

  private async sharedRepositories(em: Em, groupId: number): Promise<number[]> {
    const shares = await em.find(RepositoryShare, { group: groupId }, { disableIdentityMap: true });
    return shares.map((s) => s.repository.id);
  }
}
