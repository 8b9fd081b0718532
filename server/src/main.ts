#!/usr/bin/env node
import 'reflect-metadata';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SystemProcessRunner } from './adapters/process/process-runner.js';
import { getSchema } from './graphql/schema.js';
import { buildServices, startHive } from './app.js';
import { tokenCommand, UsageError, userCommand } from './cli/admin-commands.js';
import { cliAuditLines } from './cli/cli-audit.js';
import { ConfigError, loadConfig } from './config/config.js';
import { migrateUp, openOrm, type Em } from './db/orm.js';
import { releaseFreedHeap } from './jobs/heap-release.js';
import { createLogger } from './logger.js';
import { startAgent } from './modules/monitor/index.js';
import { describeSync, syncAccounts } from './modules/repository/index.js';

const USAGE = `usage: borg-hive <command>
  serve                         run the hive (API, web console, watcher)
  migrate                       apply database migrations
  user create <name> [--email E] [--admin]   (password on stdin)
  user passwd <name>            (password on stdin)
  user list
  token create <user> <name> <READ_ONLY|FULL|KEYS_READ|AGENT|METRICS> [--expires ISO] [--location L]
                                (AGENT tokens need --location: the name or id of their storage node)
  token list [user] | token revoke <id>
  accounts sync [--dry-run]     make the system accounts (local or LDAP) match the database
  alerts check                  run the stale check now and send what is due
  agent                         watch BORGHIVE_REPO_PATH on a storage node and report to the hive at
                                BORGHIVE_API_URL with the AGENT token BORGHIVE_API_TOKEN
  schema                        print the GraphQL schema`;

async function readSecret(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  throw new UsageError('expected the password on standard input');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'schema') {
    const { printSchema } = await import('graphql');
    process.stdout.write(`${printSchema(await getSchema())}\n`);
    return 0;
  }
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (command === 'serve') {
    const hive = await startHive(config, logger);
    // one line for operators and the start-up benchmark: API listening, watcher scanned and reconciled
    logger.info({ url: hive.url, watch: hive.monitor?.startup ?? null }, 'hive ready');
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      hive.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'unclean shutdown');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    return -1;
  }
  if (command === 'agent') {
    const { apiUrl, apiToken } = config.agent;
    if (apiUrl === null || apiToken === null) {
      throw new UsageError('borg-hive agent needs BORGHIVE_API_URL and BORGHIVE_API_TOKEN (an AGENT token)');
    }
    await mkdir(config.dataDir, { recursive: true });
    const agent = await startAgent({
      repoPath: config.repoPath,
      apiUrl,
      token: apiToken,
      outboxFile: join(config.dataDir, 'agent-outbox.jsonl'),
      logger,
      runner: new SystemProcessRunner(config.backup.childPath),
    });
    // like the hive: what the scan and the reconciliation freed goes back (with node --expose-gc)
    void agent.monitor.flushed().then(() => logger.info(releaseFreedHeap(), 'start-up garbage returned'));
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'agent stopping');
      agent.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    return -1;
  }
  if (command === 'migrate') {
    const orm = await openOrm(config.database, { logger });
    const done = await migrateUp(orm);
    await orm.close(true);
    process.stdout.write(done.length ? `applied ${done.join(', ')}\n` : 'database is up to date\n');
    return 0;
  }
  const services = await buildServices(config, logger);
  try {
    const em = services.orm.em.fork() as Em;
    let out: string;
    if (command === 'user') out = await userCommand(services, em, args, readSecret);
    else if (command === 'token') out = await tokenCommand(services, em, args);
    else if (command === 'accounts' && args[0] === 'sync') {
      const dryRun = args.includes('--dry-run');
      out = describeSync(await syncAccounts(em, services.accounts, config.repoPath, { dryRun }), dryRun);
    } else if (command === 'alerts' && args[0] === 'check') {
      const check = await services.alerts.check(em);
      const sent = await services.deliveries.runOnce();
      out = [
        `checked ${check.scanned} repositories: ${check.alerts} alerts, ${check.recoveries} recoveries, ${check.flips} staleness changes`,
        `deliveries: ${sent.sent} sent, ${sent.retrying} to retry, ${sent.failed} failed`,
      ].join('\n');
    } else throw new UsageError(USAGE);
    await services.audit.record(cliAuditLines(command, args));
    process.stdout.write(`${out}\n`);
    return 0;
  } finally {
    await services.bus.close();
    await services.accounts.close();
    await services.orm.close(true);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof UsageError) process.stderr.write(`${err.message}\n`);
    else if (err instanceof Error && 'extensions' in err) process.stderr.write(`error: ${err.message}\n`);
    else
      process.stderr.write(`borg-hive: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
