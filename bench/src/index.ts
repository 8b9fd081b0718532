/**
 * npm run bench [name] [args…]: builds, then runs one benchmark (or lists them). Each prints its figures;
 * none asserts timings (this machine is shared and noisy).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benches: Record<string, { file: string; args: string; what: string }> = {
  api: {
    file: 'api.js',
    args: '[sqlite|mariadb] [repositories=10000] [runs=30] [listRuns] [only]',
    what: 'page, search, summary, full list; cold and warm (#2, #12)',
  },
  'keys-startup': { file: 'keys-startup.js', args: '', what: 'borg-hive-keys wall time vs node -e 0 (#3)' },
  'keys-login': {
    file: 'keys-login.js',
    args: '[runs] [sizes…]',
    what: 'ssh login via our command vs authorized_keys (#3)',
  },
  accounts: {
    file: 'accounts.js',
    args: '[--fsync]',
    what: 'LDAP first and no-change sync of 10,000 accounts (#4)',
  },
  'events-watcher': {
    file: 'events-watcher.js',
    args: '',
    what: 'watcher alone: ready, watches, RSS, latency (#5)',
  },
  'events-borg2': {
    file: 'events-borg2.js',
    args: '[repositories=10000] [sessions=500]',
    what: 'borg 2 watcher: watches per repository, lock to OPENED/CLOSED latency (#14)',
  },
  events: {
    file: 'events-hive.js',
    args: 'latency|ready|ready-stale|fanout|borg2-latency|borg2-ready [n]',
    what: 'whole hive: latency, ready, fan-out (#5); borg 2 through the monitor (#14)',
  },
  'events-process': {
    file: 'events-process.js',
    args: '[sqlite|mariadb] [watch|nowatch] [repositories] [idleS]',
    what: 'the hive as a child process: ready, watches, RSS (#5)',
  },
  'events-fanout': {
    file: 'events-fanout.js',
    args: '[subscribers=500] [rounds=10]',
    what: 'one change to N subscribers: statements, p99 delivery',
  },
  desktop: {
    file: 'desktop.js',
    args: '[hives=5] [repositories=20000] [changes=100] [cpu=1]',
    what: 'overview in Chromium: first rows, message to DOM, DOM size (#12)',
  },
  soak: {
    file: 'soak.js',
    args: '[durationS=600] [sqlite|mariadb] [sessions/s=40] [queries/s=50]',
    what: '200 subscriptions, write sessions, queries: misses, p99, RSS (#12)',
  },
  alerts: { file: 'alerts.js', args: '', what: 'stale check over 100,000 repositories on MariaDB (#6)' },
  metrics: {
    file: 'metrics.js',
    args: '[sqlite|mariadb] [repositories=100000] [runs=20]',
    what: 'GET /metrics: fresh and cached scrape, memory (#16)',
  },
  jobs: {
    file: 'jobs.js',
    args: '[jobs=10000] [due=200] [subscribers=200] [runs=20]',
    what: 'backup scheduler CPU and start spread; progress fan-out p99 (#11)',
  },
};

const [name, ...args] = process.argv.slice(2);
const bench = name ? benches[name] : undefined;
if (!bench) {
  console.log('usage: npm run bench <name> [args]\n');
  for (const [n, b] of Object.entries(benches))
    console.log(`  ${n.padEnd(15)} ${b.args.padEnd(36)} ${b.what}`);
  process.exit(name ? 2 : 0);
}
const result = spawnSync(process.execPath, [join(import.meta.dirname, bench.file), ...args], {
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env },
});
process.exit(result.status ?? 1);
