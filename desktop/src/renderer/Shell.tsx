import type { BorgHiveApi } from '../shared/api.js';
import { AlertsProvider } from './components/Alerts.js';
import { HiveBanners } from './components/HiveStatus.js';
import { LiveUpdates } from './components/LiveUpdates.js';
import { Nav } from './components/Nav.js';
import { HivesContext, type HiveConnection } from './hives/hive-connection.js';
import { useEffect, useRef } from 'react';
import { routeTitle, screenKey, useRoute, type Route } from './route.js';
import { ApiTokens } from './screens/ApiTokens.js';
import { Channels } from './screens/Channels.js';
import { Deliveries } from './screens/Deliveries.js';
import { HiveList } from './screens/HiveList.js';
import { Overview } from './screens/Overview.js';
import { RepositoryDetail } from './screens/RepositoryDetail.js';
import { RepositoryFormScreen } from './screens/RepositoryFormScreen.js';
import { SshKeys } from './screens/SshKeys.js';
import { SecurityScreen } from './screens/SecurityScreen.js';
import { AuditLogScreen } from './screens/AuditLogScreen.js';
import { Backups } from './screens/Backups.js';
import { BackupRunPage } from './screens/BackupRunPage.js';
import { Groups } from './screens/Groups.js';
import { Locations } from './screens/Locations.js';
import { Users } from './screens/Users.js';
import { WebHiveList } from './screens/WebHiveList.js';
import type { WebHiveStore } from './hives/web-hives.js';

interface Props {
  hives: readonly HiveConnection[];
  bridge?: BorgHiveApi;
  onHivesChanged?: () => Promise<void>;
  onSignOut?: () => void;
  /** Problems that concern the whole app (e.g. a hive refused its token), shown above every screen. */
  notices?: readonly string[];
  /** The web console's other hives (the desktop app keeps its hives in main instead). */
  web?: { store: WebHiveStore; ownId: string; onChanged: () => void };
}

export function Shell({ hives, bridge, onHivesChanged, onSignOut, notices = [], web }: Props) {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const screen = screenKey(route);
  const first = useRef(true);
  useEffect(() => {
    document.title = routeTitle(route);
    // After navigating (not on the first load), keyboard and screen-reader users start at the new screen.
    if (first.current) first.current = false;
    else main.current?.focus();
    // The screen, not every change of the overview's filters, moves the focus.
  }, [screen]);
  return (
    <HivesContext value={hives}>
      <AlertsProvider>
        {hives.map((connection) => (
          <LiveUpdates key={connection.hive.id} connection={connection} />
        ))}
        <div className="layout">
          <Nav route={route} desktop={bridge !== undefined} onSignOut={onSignOut} />
          <main className="content" ref={main} tabIndex={-1}>
            <HiveBanners />
            {notices.map((notice) => (
              <p key={notice} role="alert" className="error">
                {notice}
              </p>
            ))}
            <Screen route={route} bridge={bridge} onHivesChanged={onHivesChanged} web={web} />
          </main>
        </div>
      </AlertsProvider>
    </HivesContext>
  );
}

function Screen({
  route,
  bridge,
  onHivesChanged,
  web,
}: Pick<Props, 'bridge' | 'onHivesChanged' | 'web'> & { route: Route }) {
  switch (route.screen) {
    case 'overview':
      return <Overview view={route.view} />;
    case 'repository':
      return <RepositoryDetail hiveId={route.hiveId} id={route.id} />;
    case 'new-repository':
      return <RepositoryFormScreen hiveId={route.hiveId} />;
    case 'edit-repository':
      return <RepositoryFormScreen hiveId={route.hiveId} id={route.id} />;
    case 'keys':
      return <SshKeys hiveId={route.hiveId} />;
    case 'channels':
      return <Channels hiveId={route.hiveId} />;
    case 'tokens':
      return <ApiTokens hiveId={route.hiveId} />;
    case 'security':
      return <SecurityScreen hiveId={route.hiveId} />;
    case 'audit':
      return <AuditLogScreen hiveId={route.hiveId} />;
    case 'backups':
      return <Backups hiveId={route.hiveId} />;
    case 'backup-run':
      return <BackupRunPage hiveId={route.hiveId} id={route.id} />;
    case 'deliveries':
      return <Deliveries hiveId={route.hiveId} />;
    case 'users':
      return <Users hiveId={route.hiveId} />;
    case 'groups':
      return <Groups hiveId={route.hiveId} />;
    case 'locations':
      return <Locations hiveId={route.hiveId} />;
    case 'hives':
      if (bridge && onHivesChanged) return <HiveList bridge={bridge} onChanged={onHivesChanged} />;
      if (web) return <WebHiveList store={web.store} ownId={web.ownId} onChanged={web.onChanged} />;
      return <Overview />;
  }
}
