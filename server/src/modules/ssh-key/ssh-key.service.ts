import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../graphql/errors.js';
import { canAccess, shareableOf, visibleWhere, type AuthInfo } from '../auth/index.js';
import type { CreationLimits } from '../limits/index.js';
import { User } from '../user/index.js';
import { SshKey } from './ssh-key.entity.js';
import { parsePublicKey, SshKeyFormatError } from './ssh-key.parser.js';

export class SshKeyService {
  constructor(
    private readonly clock: Clock,
    private readonly limits: CreationLimits,
  ) {}

  async list(em: Em, auth: AuthInfo): Promise<SshKey[]> {
    return em.find(
      SshKey,
      { ...visibleWhere(auth), internal: false },
      {
        populate: ['groups', 'owner'],
        orderBy: { name: 'asc', id: 'asc' },
      },
    );
  }

  async get(em: Em, auth: AuthInfo, id: number): Promise<SshKey> {
    const key = await em.findOne(SshKey, { id, internal: false }, { populate: ['groups', 'owner'] });
    if (!key || !canAccess(auth, shareableOf(key))) throw new NotFoundError('ssh key', id);
    return key;
  }

  async add(em: Em, auth: AuthInfo, name: string, publicKey: string): Promise<SshKey> {
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 100 || /[\u0000-\u001f\u007f]/.test(trimmed)) {
      throw BadUserInputError.fromProblems([
        { field: 'name', message: '1 to 100 characters, no control characters' },
      ]);
    }
    let parsed;
    try {
      parsed = parsePublicKey(publicKey);
    } catch (err) {
      if (err instanceof SshKeyFormatError) {
        throw BadUserInputError.fromProblems([{ field: 'publicKey', message: err.message }]);
      }
      throw err;
    }
    const existing = await em.findOne(SshKey, { owner: auth.userId, fingerprint: parsed.fingerprint });
    if (existing) throw new ConflictError(`you added this key already as "${existing.name}"`);
    const key = em.create(SshKey, {
      name: trimmed,
      type: parsed.type,
      keyData: parsed.base64,
      bits: parsed.bits,
      fingerprint: parsed.fingerprint,
      comment: parsed.comment,
      owner: em.getReference(User, auth.userId),
      createdAt: this.clock.now(),
    });
    try {
      await this.limits.flushCreation(em, auth.userId, 'sshKeys');
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException)
        throw new ConflictError('you added this key already');
      throw err;
    }
    return key;
  }

  async delete(em: Em, auth: AuthInfo, id: number): Promise<boolean> {
    const key = await this.get(em, auth, id);
    em.remove(key);
    await em.flush();
    return true;
  }
}
