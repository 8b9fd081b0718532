// Web console: the token of the page's own hive. sessionStorage (this tab, gone when it closes) unless
// the user ticked "remember on this device": then localStorage, so a new tab or a copied link stays
// signed in.
const key = 'borg-hive.token';

export function readSessionToken(): string | null {
  return sessionStorage.getItem(key) ?? localStorage.getItem(key);
}

export function writeSessionToken(token: string | null, remember = false): void {
  sessionStorage.removeItem(key);
  localStorage.removeItem(key);
  if (token === null) return;
  (remember ? localStorage : sessionStorage).setItem(key, token);
}
