// Accounts sync benchmark: npx tsc -b && npx node bench/dist/accounts.js [--count N] [--concurrency N] [--fsync]
// First sync of N repo users into a throwaway slapd, then a sync with nothing to change.
// Goals (10,000 accounts): first sync < 30 s, no-change sync < 2 s.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import {
  type RepoAccount,
  reconcileAccounts,
  LdapAccountsBackend,
  startSlapd,
} from '@borg-hive/server/testing';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '16' },
    fsync: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const concurrency = Number(values.concurrency);

const desired: RepoAccount[] = Array.from({ length: count }, (_, index) => {
  const user = `b${index.toString(36).padStart(7, '0')}`;
  return { user, uid: 1111 + index, gid: 1000, home: `/srv/repos/${user}` };
});

const slapd = await startSlapd();
try {
  if (values.fsync) {
    // the dev template skips fsync (dbnosync); measure with durable writes as well
    await slapd.stop();
    const conf = path.join(slapd.dataDir, 'slapd.conf');
    await writeFile(conf, (await readFile(conf, 'utf8')).replace(/^dbnosync$/m, ''));
    await slapd.start();
  }
  const backend = new LdapAccountsBackend({ ...slapd, userBaseDn: slapd.baseDn }, pino({ level: 'warn' }));
  const first = await timed(() => reconcileAccounts(backend, desired, { concurrency }));
  const again = await timed(() => reconcileAccounts(backend, desired, { concurrency }));
  await backend.close();
  if (first.result.created.length !== count || again.result.unchanged !== count) {
    throw new Error(
      `unexpected results: ${JSON.stringify({ first: first.result.created.length, again: again.result })}`,
    );
  }
  console.log(
    `accounts sync, ${count} repo users, concurrency ${concurrency}, fsync ${values.fsync ? 'on' : 'off'}`,
  );
  console.log(
    `first sync:     ${(first.ms / 1000).toFixed(2)} s (${Math.round(count / (first.ms / 1000))} accounts/s; goal < 30 s)`,
  );
  console.log(`no-change sync: ${(again.ms / 1000).toFixed(2)} s (goal < 2 s)`);
} finally {
  await slapd.dispose();
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}
