import { useEffect, useState } from 'react';
import { defaultView, type OverviewView } from './overview/view.js';
import { decodeView, encodeView } from './overview/view-url.js';

/** Screens of the console, addressed by the URL hash so they work from file:// and from the server. */
export type Route =
  | { readonly screen: 'overview'; readonly view?: OverviewView }
  | { readonly screen: 'repository'; readonly hiveId: string; readonly id: string }
  | { readonly screen: 'new-repository'; readonly hiveId: string }
  | { readonly screen: 'edit-repository'; readonly hiveId: string; readonly id: string }
  | { readonly screen: 'keys'; readonly hiveId: string }
  | { readonly screen: 'channels'; readonly hiveId: string }
  | { readonly screen: 'tokens'; readonly hiveId: string }
  | { readonly screen: 'security'; readonly hiveId: string }
  | { readonly screen: 'audit'; readonly hiveId: string }
  | { readonly screen: 'deliveries'; readonly hiveId: string }
  | { readonly screen: 'users'; readonly hiveId: string }
  | { readonly screen: 'groups'; readonly hiveId: string }
  | { readonly screen: 'locations'; readonly hiveId: string }
  | { readonly screen: 'hives' }
  | { readonly screen: 'backups'; readonly hiveId: string }
  | { readonly screen: 'backup-run'; readonly hiveId: string; readonly id: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/').map(decodeURIComponent);
  const [first, hiveId, third, id, fifth] = parts;
  if (first === 'hives') return { screen: 'hives' };
  if (first !== 'hive' || !hiveId) return { screen: 'overview', view: decodeView(query) };
  if (third === 'keys') return { screen: 'keys', hiveId };
  if (third === 'channels') return { screen: 'channels', hiveId };
  if (third === 'tokens') return { screen: 'tokens', hiveId };
  if (third === 'security') return { screen: 'security', hiveId };
  if (third === 'audit') return { screen: 'audit', hiveId };
  if (third === 'backups') return { screen: 'backups', hiveId };
  if (third === 'backup-run' && id) return { screen: 'backup-run', hiveId, id };
  if (third === 'deliveries') return { screen: 'deliveries', hiveId };
  if (third === 'users' || third === 'groups' || third === 'locations') return { screen: third, hiveId };
  if (third === 'new-repository') return { screen: 'new-repository', hiveId };
  if (third === 'repository' && id) {
    return fifth === 'edit'
      ? { screen: 'edit-repository', hiveId, id }
      : { screen: 'repository', hiveId, id };
  }
  return { screen: 'overview', view: decodeView(query) };
}

export function href(route: Route): string {
  const enc = encodeURIComponent;
  switch (route.screen) {
    case 'overview': {
      const query = encodeView(route.view ?? defaultView);
      return query ? `#/?${query}` : '#/';
    }
    case 'hives':
      return '#/hives';
    case 'repository':
      return `#/hive/${enc(route.hiveId)}/repository/${enc(route.id)}`;
    case 'edit-repository':
      return `#/hive/${enc(route.hiveId)}/repository/${enc(route.id)}/edit`;
    case 'new-repository':
      return `#/hive/${enc(route.hiveId)}/new-repository`;
    case 'keys':
      return `#/hive/${enc(route.hiveId)}/keys`;
    case 'channels':
      return `#/hive/${enc(route.hiveId)}/channels`;
    case 'tokens':
      return `#/hive/${enc(route.hiveId)}/tokens`;
    case 'security':
      return `#/hive/${enc(route.hiveId)}/security`;
    case 'audit':
      return `#/hive/${enc(route.hiveId)}/audit`;
    case 'backups':
      return `#/hive/${enc(route.hiveId)}/backups`;
    case 'backup-run':
      return `#/hive/${enc(route.hiveId)}/backup-run/${enc(route.id)}`;
    case 'deliveries':
    case 'users':
    case 'groups':
    case 'locations':
      return `#/hive/${enc(route.hiveId)}/${route.screen}`;
  }
}

/** The page title of a screen (a repository's page sets its name once loaded). */
export function routeTitle(route: Route): string {
  const titles: Record<Route['screen'], string> = {
    overview: 'Overview',
    repository: 'Repository',
    'new-repository': 'New repository',
    'edit-repository': 'Edit repository',
    keys: 'SSH keys',
    channels: 'Notifications',
    tokens: 'API tokens',
    deliveries: 'Delivery log',
    users: 'Users',
    groups: 'Groups',
    locations: 'Storage locations',
    security: 'Security',
    audit: 'Audit log',
    backups: 'Backups',
    'backup-run': 'Backup run',
    hives: 'Hives',
  };
  return `${titles[route.screen]} · Borg Hive`;
}

/** Identifies a screen regardless of the overview's search and filters (focus moves only between screens). */
export function screenKey(route: Route): string {
  return route.screen === 'overview' ? 'overview' : href(route);
}

/** `replace`: no new history entry (typing in the search box). */
export function navigate(route: Route, { replace = false } = {}): void {
  if (replace) window.location.replace(href(route));
  else window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
