import { randomInt } from 'node:crypto';

export const REPOSITORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const REPO_USER = /^[a-z0-9]{8}$/;
export const UID_MIN = 1111;
export const UID_MAX = 99999;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 8 random characters [a-z0-9], like the original's generate_userid(8). */
export function generateRepoUser(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
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
