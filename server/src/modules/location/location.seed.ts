import type { Em } from '../../db/orm.js';
import { RepositoryLocation } from './location.entity.js';

/** Keeps the default location in step with BORGHIVE_SSH_HOST/PORT. */
export async function seedDefaultLocation(
  em: Em,
  ssh: { host: string; port: number },
): Promise<RepositoryLocation> {
  const existing = await em.findOne(RepositoryLocation, { isDefault: true });
  if (existing) {
    existing.sshHost = ssh.host;
    existing.sshPort = ssh.port;
    await em.flush();
    return existing;
  }
  const loc = em.create(RepositoryLocation, {
    name: 'default',
    sshHost: ssh.host,
    sshPort: ssh.port,
    isDefault: true,
  });
  await em.flush();
  return loc;
}
