// Web console: the token of the page's own hive lives in sessionStorage (gone when the tab closes).
const key = 'borg-hive.token';

export function readSessionToken(): string | null {
  return sessionStorage.getItem(key);
}

export function writeSessionToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(key);
  else sessionStorage.setItem(key, token);
}
