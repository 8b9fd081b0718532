import { type Repository, repositoryUrl } from '../repository/index.js';
import type { AlertedRepository } from './channel-targets.js';

/** What a message names (id, name, url) and who may receive it, of a repository loaded with groups and location. */
export function alertSubject(repo: Repository): {
  about: { id: string; name: string; url: string };
  audience: AlertedRepository;
} {
  const location = repo.location.getEntity();
  return {
    about: {
      id: String(repo.id),
      name: repo.name,
      url: repositoryUrl(repo.repoUser, location.sshHost, location.sshPort, repo.name),
    },
    audience: { id: repo.id, ownerId: repo.owner.id, groupIds: repo.groups.getIdentifiers<number>() },
  };
}
