import type { BorgHiveApi } from '../shared/api.js';
import { AlertsProvider } from './components/Alerts.js';
import { LiveUpdates } from './components/LiveUpdates.js';
import { Nav } from './components/Nav.js';
import { HivesContext, type HiveConnection } from './hives/hive-connection.js';
import { useRoute, type Route } from './route.js';
import { ApiTokens } from './screens/ApiTokens.js';
import { Channels } from './screens/Channels.js';
import { HiveList } from './screens/HiveList.js';
import { Overview } from './screens/Overview.js';
import { RepositoryDetail } from './screens/RepositoryDetail.js';
import { RepositoryFormScreen } from './screens/RepositoryFormScreen.js';
import { SshKeys } from './screens/SshKeys.js';
import { SecurityScreen } from './screens/SecurityScreen.js';
import { AuditLogScreen } from './screens/AuditLogScreen.js';
import { Backups } from './screens/Backups.js';
import { BackupRunPage } from './screens/BackupRunPage.js';

interface Props {
  hives: readonly HiveConnection[];
  bridge?: BorgHiveApi;
  onHivesChanged?: () => Promise<void>;
  onSignOut?: () => void;
  /** Problems that concern the whole app (e.g. a hive refused its token), shown above every screen. */
  notices?: readonly string[];
}

export function Shell({ hives, bridge, onHivesChanged, onSignOut, notices = [] }: Props) {
  const route = useRoute();
  return (
    <HivesContext value={hives}>
      <AlertsProvider>
        {hives.map((connection) => (
          <LiveUpdates key={connection.hive.id} connection={connection} />
        ))}
        <div className="layout">
          <Nav route={route} desktop={bridge !== undefined} onSignOut={onSignOut} />
          <main className="content">
            {notices.map((notice) => (
              <p key={notice} role="alert" className="error">
                {notice}
              </p>
            ))}
            <Screen route={route} bridge={bridge} onHivesChanged={onHivesChanged} />
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
}: Pick<Props, 'bridge' | 'onHivesChanged'> & { route: Route }) {
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
    case 'hives':
      return bridge && onHivesChanged ? (
        <HiveList bridge={bridge} onChanged={onHivesChanged} />
      ) : (
        <Overview />
      );
  }
}
