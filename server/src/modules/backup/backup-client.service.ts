import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { BadUserInputError, ConflictError, NotFoundError, type FieldProblem } from '../../graphql/errors.js';
import type { SecretBox } from '../../security/secret-box.js';
import { canAccess, type AuthInfo } from '../auth/index.js';
import { User } from '../user/index.js';
import { BackupClient } from './backup-client.entity.js';
import type { BackupClientInput } from './backup.inputs.js';
import { fingerprintOf, keyText } from '../../security/host-keys.js';
import type { SshTools } from './ssh-tools.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;
const HOST = /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$|^\[?[0-9A-Fa-f:.]{2,45}\]?$/;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/**
 * The line the client's user adds to ~/.ssh/authorized_keys: `restrict` turns everything off, then only
 * what the pull methods need comes back (agent forwarding for AGENT_FORWARDING, the -R socket for
 * SOCKET_FORWARDING). A forced command on the client is stricter still (docs/backup-jobs.md).
 */
export function authorizedKeysLineOf(client: Pick<BackupClient, 'publicKey'>): string {
  return `restrict,agent-forwarding,port-forwarding ${client.publicKey}`;
}

export class BackupClientService {
  constructor(
    private readonly tools: SshTools,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  list(em: Em, auth: AuthInfo): Promise<BackupClient[]> {
    const where = auth.isAdmin ? {} : { owner: auth.userId };
    return em.find(BackupClient, where, { orderBy: { name: 'asc', id: 'asc' } });
  }

  async get(em: Em, auth: AuthInfo, id: number): Promise<BackupClient> {
    const client = await em.findOne(BackupClient, { id });
    if (!client || !canAccess(auth, { ownerId: client.owner.id, groupIds: [] }))
      throw new NotFoundError('backup client', id);
    return client;
  }

  /**
   * Registers a client: it must answer on its ssh port now (its host key is pinned from that answer, and
   * must match a given fingerprint); the hive's key pair is made for it. Nothing is saved on a refusal.
   */
  async create(em: Em, auth: AuthInfo, input: BackupClientInput): Promise<BackupClient> {
    const problems: FieldProblem[] = [];
    const name = input.name?.trim() ?? '';
    if (!NAME.test(name)) problems.push({ field: 'name', message: '1-100 letters, digits, space . _ -' });
    if (!HOST.test(input.host ?? '')) problems.push({ field: 'host', message: 'a host name or address' });
    if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)
      problems.push({ field: 'port', message: '1..65535' });
    if (!USER.test(input.user ?? '')) problems.push({ field: 'user', message: 'a user name (a-z 0-9 _ -)' });
    const wanted = input.hostKeyFingerprint?.trim() || null;
    if (wanted !== null && !FINGERPRINT.test(wanted))
      problems.push({
        field: 'hostKeyFingerprint',
        message: 'SHA256:<43 base64 characters>, as ssh-keygen -l prints it',
      });
    if (problems.length) throw BadUserInputError.fromProblems(problems);
    if (await em.count(BackupClient, { owner: auth.userId, name }))
      throw new ConflictError(`backup client ${name} exists`);
    const host = input.host.replace(/^\[|\]$/g, '');
    const keys = await this.tools.scanHostKeys(host, input.port);
    if (keys.length === 0) {
      throw BadUserInputError.fromProblems([
        { field: 'host', message: `${host}:${input.port} does not answer as an ssh server` },
      ]);
    }
    const pinned = wanted === null ? keys[0]! : keys.find((k) => fingerprintOf(k) === wanted);
    if (!pinned) {
      throw BadUserInputError.fromProblems([
        {
          field: 'hostKeyFingerprint',
          message: `the client presents ${keys.map(fingerprintOf).join(', ')}, not ${wanted}`,
        },
      ]);
    }
    const pair = await this.tools.generateKeyPair(`borg-hive@${name.replace(/[^A-Za-z0-9._-]/g, '-')}`);
    const client = em.create(BackupClient, {
      name,
      host,
      port: input.port,
      user: input.user,
      hostKey: keyText(pinned),
      hostKeyFingerprint: fingerprintOf(pinned),
      publicKey: pair.publicKey,
      privateKeySealed: this.secrets.seal(pair.privateKey),
      owner: em.getReference(User, auth.userId),
      lastSeenAt: this.clock.now(),
      createdAt: this.clock.now(),
    });
    await em.flush();
    return client;
  }

  /** The private key, opened; only for the run executor. */
  async privateKeyOf(em: Em, client: BackupClient): Promise<string> {
    await em.populate(client, ['privateKeySealed']);
    return this.secrets.open(client.privateKeySealed);
  }
}
