import { randomInt } from 'node:crypto';

export const UID_MIN = 1111;
export const UID_MAX = 99999;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * 8 random characters [a-z0-9], like the original's generate_userid(8); the first is a letter,
 * because useradd refuses all-digit names and some tools dislike a leading digit.
 */
export function generateRepoUser(): string {
  let s = ALPHABET[randomInt(26)]!;
  for (let i = 1; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export interface RepositoryAddress {
  repoPath: string;
  repoUser: string;
  name: string;
}

export function repositoryPath(a: RepositoryAddress): string {
  return `${a.repoPath}/${a.repoUser}/${a.name}`;
}

export function repositoryUrl(repoUser: string, host: string, port: number, name: string): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `ssh://${repoUser}@${h}:${port}/./${name}`;
}
