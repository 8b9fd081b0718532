import type { Logger } from 'pino';
import type { AccountsBackend } from './adapters/accounts/accounts.backend.js';
import { createAccountsBackend, type AccountsConfig } from './adapters/accounts/accounts.factory.js';
import { systemClock, type Clock } from './adapters/clock.js';
import { secureDataDir } from './adapters/data-files.js';
import { ensureRepoRoot } from './adapters/fs/repo-root.js';
import type { Config } from './config/config.js';
import { migrateUp, openOrm, type Em } from './db/orm.js';
import { createEventBus, type EventBus } from './graphql/event-bus.js';
import { getSchema } from './graphql/schema.js';
import { HeavySlots } from './graphql/request-budget.js';
import { startHttp, type RunningHttp } from './http/server.js';
import {
  AuthService,
  CredentialService,
  DbLoginFailureStore,
  LoginThrottle,
  TotpService,
  PasskeyService,
  SecondFactors,
} from './modules/auth/index.js';
import { generatePassword } from './security/secrets.js';
import {
  EventService,
  RefreshService,
  RepositoryService,
  GroupService,
  describeSync,
  syncAccounts,
  Repository,
} from './modules/repository/index.js';
import { LiveFeed, type LiveTiming } from './modules/event/index.js';
import {
  AuthorizedKeysService,
  RefusalLog,
  recordRefusalEvent,
  refusalAuditLine,
} from './modules/keys/index.js';
import { seedDefaultLocation } from './modules/location/index.js';
import {
  NotificationChannelService,
  ChannelSecrets,
  sealStoredChannelSettings,
} from './modules/notification/index.js';
import { createOutboundHttp } from './adapters/outbound/outbound-http.js';
import { OutboundPolicy } from './adapters/outbound/outbound-policy.js';
import { createSecretBox } from './security/secret-box.js';
import { loadOrCreateSecretKey } from './security/secret-key-file.js';
import { SshKeyService } from './modules/ssh-key/index.js';
import { User, UserService } from './modules/user/index.js';
import { CreationLimits } from './modules/limits/index.js';
import type { Services } from './services.js';
import { HeapReleaser } from './jobs/heap-release.js';
import { Scheduler, type Job } from './jobs/scheduler.js';
import { AlertService, DeliveryWorker } from './modules/alert/index.js';
import { PingService, pingRouter } from './modules/ping/index.js';
import { InProcessSink, ReportIngest, RepositoryMonitor } from './modules/monitor/index.js';
import { DEFAULT_HEALTH_POLICY, HealthStore } from './modules/repository/index.js';
import { healthJob } from './jobs/health-job.js';
import { HiveMetrics, metricsRouter, timeRequests } from './modules/metrics/index.js';
import { AuditService, auditRouter } from './modules/audit/index.js';
import { OidcAccounts, OidcProviderClient, OidcService, oidcRouter } from './modules/oidc/index.js';
import { clientAddressOf } from './http/client-address.js';
import { authFromBearer } from './http/bearer.js';
import { TokenScope } from './modules/auth/index.js';
import { SystemProcessRunner, type ProcessRunner } from './adapters/process/process-runner.js';
import {
  AgentMaintenanceService,
  BackupClientService,
  BackupJobService,
  BackupRunService,
  BackupScheduler,
  MaintenanceScheduleService,
  SshTools,
} from './modules/backup/index.js';

export interface Overrides {
  clock?: Clock;
  accounts?: AccountsBackend;
  bus?: EventBus;
  /** false: no background jobs (tests that drive the stale check and the delivery worker themselves). */
  jobs?: boolean;
  /** the live feed's debounce (tests that must not depend on how fast the machine is) */
  liveTiming?: LiveTiming;
  /** the programs backups run (ssh, borg...): a fake in the unit tier */
  processes?: ProcessRunner;
}

export function accountsConfig(config: Config): AccountsConfig {
  switch (config.accounts) {
    case 'none':
      return { kind: 'none' };
    case 'local':
      return { kind: 'local', repoPath: config.repoPath };
    case 'ldap':
      return { kind: 'ldap', ...config.ldap! };
  }
}

/** Opens the database (migrating it) and builds every service; nothing listens yet. */
export async function buildServices(
  config: Config,
  logger: Logger,
  overrides: Overrides = {},
): Promise<Services> {
  const clock = overrides.clock ?? systemClock;
  secureDataDir(config.dataDir, { repoPath: config.repoPath, accounts: config.accounts, logger });
  const orm = await openOrm(config.database, { logger });
  const applied = await migrateUp(orm);
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');
  const bus = overrides.bus ?? (await createEventBus(config.redisUrl, logger, config.redisPrefix));
  const accounts = overrides.accounts ?? createAccountsBackend(accountsConfig(config), logger);
  const events = new EventService(bus, clock);
  const limits = new CreationLimits(config.limits, config.database.dialect, clock);
  const audit = new AuditService(orm, clock, logger, config.auditRetentionDays);
  const alerts = new AlertService(events, clock, logger, config.deletionAlert);
  const outbound = createOutboundHttp(new OutboundPolicy(config.outbound.allow));
  const processes = overrides.processes ?? new SystemProcessRunner(config.backup.childPath);
  const channelContext = () => ({
    smtp: config.smtp,
    http: outbound,
    pushoverApiUrl: config.outbound.pushoverApiUrl,
    telegramApiUrl: config.channels.telegramApiUrl,
    processes,
    appriseBin: config.channels.appriseBin,
    timeoutMs: 10_000,
  });
  const secretKey = loadOrCreateSecretKey(config.secretKeyFile);
  if (secretKey.created) logger.info({ file: config.secretKeyFile }, 'created the key of stored secrets');
  const secretBox = createSecretBox(secretKey.key);
  const channelSecrets = new ChannelSecrets(secretBox);
  const totp = new TotpService(clock, secretBox, 'Borg Hive');
  const passkeys = new PasskeyService(clock, config.webauthn);
  const sealed = await sealStoredChannelSettings(orm.em.fork() as Em, channelSecrets);
  if (sealed > 0) logger.info({ channels: sealed }, 'encrypted stored notification channel settings');
  const health = new HealthStore(clock, {
    ...DEFAULT_HEALTH_POLICY,
    agentAwayAfterMs: config.agent.awayAfterSeconds * 1000,
  });
  const repositories = new RepositoryService({
    health,
    repoPath: config.repoPath,
    repoGid: config.repoGid,
    accounts,
    bus,
    events,
    limits,
    clock,
    logger,
  });
  const sshTools = new SshTools(processes);
  const backupClients = new BackupClientService(sshTools, secretBox, clock);
  const backupJobs = new BackupJobService(repositories, backupClients, secretBox, clock);
  const maintenanceSchedules = new MaintenanceScheduleService(repositories, clock);
  const backupRuns = new BackupRunService({
    orm,
    bus,
    clock,
    runner: processes,
    tools: sshTools,
    clients: backupClients,
    jobs: backupJobs,
    repositories,
    events,
    health,
    alerts,
    logger,
    defaultHostKeys: config.backup.sshHostKeys,
    dialect: config.database.dialect,
  });
  const auth = new AuthService(
    clock,
    logger,
    config.sessionTtlHours,
    new LoginThrottle(new DbLoginFailureStore(orm), () => clock.now().getTime()),
    limits,
    new SecondFactors(totp, passkeys),
    { adminsOnly: config.oidc?.only ?? false, provider: config.oidc?.name ?? '' },
  );
  const users = new UserService(clock);
  const oidc =
    config.oidc === null
      ? null
      : new OidcService(
          new OidcProviderClient(config.oidc, () => clock.now().getTime()),
          new OidcAccounts(config.oidc, users),
          auth,
          audit,
          secretBox,
          clock,
          logger,
          () => config.http.publicUrl,
        );
  return {
    backupClients,
    backupJobs,
    backupRuns,
    agentMaintenance: new AgentMaintenanceService(backupRuns, clock),
    maintenanceSchedules,
    backupScheduler: new BackupScheduler(orm, backupJobs, backupRuns, clock, logger, maintenanceSchedules),
    config,
    logger,
    clock,
    orm,
    bus,
    accounts,
    events,
    live: new LiveFeed(bus, orm, logger, overrides.liveTiming),
    reports: new ReportIngest(events, health, logger, alerts),
    repositories,
    auth,
    oidc,
    credentials: new CredentialService(clock, bus, logger),
    totp,
    passkeys,
    users,
    groups: new GroupService(events),
    limits,
    sshKeys: new SshKeyService(clock, limits),
    refresher: new RefreshService(repositories, events, health, clock, logger),
    health,
    authorizedKeys: new AuthorizedKeysService(
      orm,
      config.repoPath,
      config.borgCommands,
      clock,
      logger,
      new RefusalLog(
        async (refusal, reason) => {
          await audit.record([refusalAuditLine(refusal, reason)]);
          await recordRefusalEvent(orm, events, refusal, reason).catch((err: unknown) =>
            logger.error({ err, repositoryId: refusal.repositoryId }, 'could not record the refused login'),
          );
        },
        clock,
        logger,
      ),
    ),
    channels: new NotificationChannelService(clock, channelContext, channelSecrets, limits),
    alerts,
    deliveries: new DeliveryWorker(orm, clock, channelContext, channelSecrets, logger),
    pings: new PingService(events, alerts, health, clock),
    heavySlots: new HeavySlots(config.requestLimits.heavyQueriesPerUser),
    audit,
  };
}

/** First start: the bootstrap admin and the default location. Returns a generated password to print once. */
export async function bootstrap(services: Services): Promise<string | null> {
  const em = services.orm.em.fork() as Em;
  await seedDefaultLocation(em, services.config.ssh);
  if ((await em.count(User, {})) > 0) return null;
  const generated = services.config.adminPassword === null ? generatePassword() : null;
  await services.users.create(em, {
    username: 'admin',
    password: services.config.adminPassword ?? generated!,
    email: 'admin@localhost',
    isAdmin: true,
  });
  return generated;
}

export interface Hive {
  services: Services;
  http: RunningHttp;
  url: string;
  /** GET /metrics: the registry and cache behind it. */
  metrics: HiveMetrics;
  /** The repository watcher in this process (BORGHIVE_WATCH=true), else null. */
  monitor: RepositoryMonitor | null;
  stop(): Promise<void>;
}

export async function startHive(config: Config, logger: Logger, overrides: Overrides = {}): Promise<Hive> {
  await ensureRepoRoot(config.repoPath);
  const services = await buildServices(config, logger, overrides);
  const generated = await bootstrap(services);
  if (generated) {
    process.stdout.write(
      `\nBorg Hive created user "admin" with password: ${generated}\n(shown once; change it with: borg-hive user passwd admin)\n\n`,
    );
  }
  services.live.start();
  const ping = pingRouter(services.orm, services.pings, logger, {
    now: () => services.clock.now().getTime(),
  });
  const metrics = new HiveMetrics(services.orm, services.clock, logger);
  metrics.watch(services.bus);
  const scrape = metricsRouter(metrics, (header) => authFromBearer(services, header), logger);
  const audit = auditRouter(
    services.audit,
    (header) => authFromBearer(services, header),
    // an admin signed in or with a FULL / READ_ONLY token: not a storage node's or Prometheus' token
    (auth) => auth.isAdmin && (auth.scope === TokenScope.FULL || auth.scope === TokenScope.READ_ONLY),
    logger,
  );
  const http = await startHttp(services, await getSchema(), {
    routers: [
      { path: '/ping', router: ping },
      { path: '/metrics', router: scrape },
      { path: '/audit.jsonl', router: audit },
      ...(services.oidc
        ? [
            {
              path: '/auth/oidc',
              router: oidcRouter(
                services.oidc,
                services.orm,
                clientAddressOf(config.http.trustedProxies),
                logger,
              ),
            },
          ]
        : []),
    ],
    before: [timeRequests(metrics)],
  });
  const monitor = config.watch
    ? new RepositoryMonitor({
        repoPath: config.repoPath,
        sink: new InProcessSink(services.orm, services.reports),
        logger,
        // a steady load of write sessions goes in one transaction and one live view read per 50 ms
        batchMs: 50,
      })
    : null;
  await monitor?.start();
  metrics.probe({
    subscriptions: () => services.live.subscribers,
    sockets: () => http.sockets(),
    eventsRecorded: () => services.events.recordedCount,
    watcherRestarts: () => monitor?.restarts ?? 0,
  });
  const scheduler = new Scheduler(logger);
  const heap = new HeapReleaser();
  let stopped = false;
  if (overrides.jobs !== false) {
    scheduler.start(backgroundJobs(services, monitor, heap));
    // the start-up burst (watcher scan, reconciliation, first job runs) leaves freed pages behind
    void Promise.all([scheduler.startedUp(), monitor?.flushed()]).then(() => {
      if (!stopped) logger.info(heap.releaseNow(), 'start-up garbage returned');
    });
  }
  return {
    services,
    http,
    url: http.url,
    metrics,
    monitor,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await scheduler.stop();
      await services.backupRuns.stop();
      await monitor?.stop();
      await http.close();
      await metrics.close();
      await services.live.close();
      await services.authorizedKeys.flushUse();
      await services.bus.close();
      await services.accounts.close();
      await services.orm.close(true);
    },
  };
}

const HOUR = 3_600_000;

/**
 * The hive's periodic work: directory reconciliation, stale check, forgetting old failed logins, alert
 * delivery, daily statistics.
 */
export function backgroundJobs(
  services: Services,
  monitor: RepositoryMonitor | null = null,
  heap = new HeapReleaser(),
): Job[] {
  const { logger, config } = services;
  return [
    {
      name: 'accounts-sync',
      everyMs: HOUR,
      atStart: services.accounts.kind !== 'none',
      run: async () => {
        const report = await syncAccounts(services.orm.em.fork() as Em, services.accounts, config.repoPath);
        if (report.created.length + report.updated.length + report.removed.length > 0) {
          logger.info({ report }, describeSync(report, false).replace(/\n/g, '; '));
        }
        return report;
      },
    },
    {
      name: 'stale-check',
      everyMs: HOUR,
      atStart: true,
      run: () => services.alerts.check(services.orm.em.fork() as Em),
    },
    healthJob(services),
    { name: 'backup-scheduler', everyMs: 15_000, atStart: true, run: () => services.backupScheduler.tick() },
    {
      name: 'login-failures-cleanup',
      everyMs: HOUR,
      atStart: false,
      run: () => services.auth.throttle.forgetExpired(),
    },
    { name: 'audit-retention', everyMs: HOUR, atStart: true, run: () => services.audit.purge() },
    {
      name: 'alert-delivery',
      everyMs: 5_000,
      atStart: true,
      run: () => services.deliveries.runOnce(),
    },
    {
      // what the hourly jobs (and the watcher, after a reconciliation) freed goes back to the system
      name: 'heap-release',
      everyMs: HOUR,
      atStart: false,
      run: () => Promise.resolve(heap.releaseIfGrown()),
    },
    {
      name: 'daily-statistics',
      everyMs: 24 * HOUR,
      atStart: false,
      // The watcher measures what it watches; without it, the repositories are read here.
      run: async () => {
        if (monitor) return monitor.measureAll();
        const em = services.orm.em.fork() as Em;
        const ids = (await em.find(Repository, {}, { fields: ['id'] })).map((r) => r.id);
        return services.refresher.refreshAll(em, ids);
      },
    },
  ];
}
