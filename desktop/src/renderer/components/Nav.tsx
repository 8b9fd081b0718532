import { useQuery } from '@apollo/client/react';
import { useEffect, useState, type ReactNode } from 'react';
import { ME } from '../graphql/operations.js';
import { useHives, type HiveConnection } from '../hives/hive-connection.js';
import { href, type Route } from '../route.js';
import { HiveStatus } from './HiveStatus.js';

interface Props {
  route: Route;
  desktop: boolean;
  onSignOut?: (() => void) | undefined;
}

/** Side navigation: the overview, then per hive its keys, channels and "new repository". */
export function Nav({ route, desktop, onSignOut }: Props) {
  const hives = useHives();
  // Narrow screens: the navigation folds behind a "Menu" button and folds again after each navigation.
  const [open, setOpen] = useState(false);
  const here = href(route);
  useEffect(() => setOpen(false), [here]);
  // The overview is current whatever its search and filters.
  const same = (target: Route): boolean =>
    target.screen === 'overview' ? route.screen === 'overview' : href(target) === href(route);
  const current = (target: Route): 'page' | undefined => (same(target) ? 'page' : undefined);
  const link = (target: Route, label: string) => (
    <a href={href(target)} aria-current={current(target)}>
      {label}
    </a>
  );
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ⬢
        </span>{' '}
        Borg Hive
        <button
          type="button"
          className="nav-toggle button-secondary"
          aria-expanded={open}
          aria-controls="nav-body"
          onClick={() => setOpen(!open)}
        >
          Menu
        </button>
      </div>
      <div id="nav-body" className={`nav-body${open ? ' nav-open' : ''}`}>
        <ul>
          <li>{link({ screen: 'overview' }, 'Overview')}</li>
        </ul>
        {hives.map((connection) => {
          const { hive } = connection;
          return (
            <section key={hive.id} aria-label={`Hive ${hive.name}`}>
              <h2 className="nav-heading">{hive.name}</h2>
              <HiveStatus connection={connection} />
              <ul>
                <li>{link({ screen: 'new-repository', hiveId: hive.id }, 'New repository')}</li>
                <li>{link({ screen: 'keys', hiveId: hive.id }, 'SSH keys')}</li>
                <li>{link({ screen: 'channels', hiveId: hive.id }, 'Notifications')}</li>
                <li>{link({ screen: 'deliveries', hiveId: hive.id }, 'Delivery log')}</li>
                <li>{link({ screen: 'tokens', hiveId: hive.id }, 'API tokens')}</li>
                <li>{link({ screen: 'security', hiveId: hive.id }, 'Security')}</li>
                <li>{link({ screen: 'audit', hiveId: hive.id }, 'Audit log')}</li>
                <li>{link({ screen: 'backups', hiveId: hive.id }, 'Backups')}</li>
                <AdminLinks connection={connection} link={link} />
                <li>
                  <a href={explorer(hive, desktop)}>GraphQL explorer</a>
                </li>
              </ul>
            </section>
          );
        })}
        <ul className="nav-footer">
          <li>{link({ screen: 'hives' }, 'Manage hives')}</li>
          {onSignOut && (
            <li>
              <button type="button" className="link-button" onClick={onSignOut}>
                Sign out
              </button>
            </li>
          )}
        </ul>
      </div>
    </nav>
  );
}

/** Admin screens, listed only where the hive says one is an admin (it refuses the rest anyway). */
function AdminLinks({
  connection,
  link,
}: {
  connection: HiveConnection;
  link: (target: Route, label: string) => ReactNode;
}) {
  const { data } = useQuery(ME, { client: connection.client });
  if (!data?.me.isAdmin) return null;
  const hiveId = connection.hive.id;
  return (
    <>
      <li>{link({ screen: 'users', hiveId }, 'Users')}</li>
      <li>{link({ screen: 'groups', hiveId }, 'Groups')}</li>
      <li>{link({ screen: 'locations', hiveId }, 'Storage locations')}</li>
    </>
  );
}

/** The desktop app's bundled explorer for a hive; on the web, the explorer each hive serves itself. */
function explorer(hive: { id: string; url: string }, desktop: boolean): string {
  if (desktop) return `graphiql.html?hive=${encodeURIComponent(hive.id)}`;
  return hive.url === window.location.origin ? 'graphiql.html' : `${hive.url}/graphiql`;
}
