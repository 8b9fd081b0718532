import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { createRepo, startTestHive, type TestHive } from '@borg-hive/server/testing';
import { repoRoot } from './support/paths.js';

const run = promisify(execFile);
const DOCS = join(repoRoot, 'docs');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls until `probe` gives a value; `what` names it when the wait (bounded, not timed) runs out. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/**
 * Debian's real Prometheus on a loopback port scrapes a real hive's /metrics with a METRICS token (and a
 * second job without one), after a real borg backup into a repository the hive watches.
 */
describe('Prometheus scrapes the hive', () => {
  let hive: TestHive;
  let work: string;
  let prometheus: ChildProcess;
  let promUrl: string;
  let promLog = '';
  let repo: { id: string; name: string; repoUser: string; path: string };

  const query = async (promql: string): Promise<Sample[]> => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data: { result: Sample[] } };
    assert.equal(body.status, 'success');
    return body.data.result;
  };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'bh-prom-'));
    hive = await startTestHive({ env: { BORGHIVE_WATCH: 'true' } });
    const token = await hive.gql<{ createApiToken: { token: string } }>(
      hive.adminToken,
      'mutation{createApiToken(name:"prometheus",scope:METRICS){token}}',
    );
    const tokenFile = join(work, 'hive.token');
    await writeFile(tokenFile, token.data!.createApiToken.token, { mode: 0o600 });
    const target = new URL(hive.url).host;
    await writeFile(
      join(work, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        '  evaluation_interval: 1s',
        'rule_files:',
        `  - ${join(DOCS, 'prometheus/borg-hive-alerts.yml')}`,
        'scrape_configs:',
        '  - job_name: borg-hive',
        '    metrics_path: /metrics',
        '    authorization:',
        `      credentials_file: ${tokenFile}`,
        '    static_configs:',
        `      - targets: ['${target}']`,
        '  - job_name: no-token',
        '    metrics_path: /metrics',
        '    static_configs:',
        `      - targets: ['${target}']`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    await mkdir(join(work, 'data'));
    prometheus = spawn(
      '/usr/bin/prometheus',
      [
        `--config.file=${join(work, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(work, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr?.on('data', (chunk: Buffer) => (promLog = (promLog + chunk.toString()).slice(-20_000)));
    await waitFor('Prometheus to be ready', async () => {
      const res = await fetch(`${promUrl}/-/ready`).catch(() => null);
      return res?.status === 200 ? true : undefined;
    });
    const alice = await hive.newUser('alice');
    repo = await createRepo(hive, alice.token, { name: 'laptop' });
  });
  after(async () => {
    prometheus?.kill('SIGTERM');
    if (prometheus && prometheus.exitCode === null)
      await new Promise((resolve) => prometheus.once('exit', resolve));
    await hive?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('its HTTP API returns the series of a repository that just had a real borg backup, with its time', async () => {
    const env = {
      ...process.env,
      BORG_BASE_DIR: work,
      BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
      BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
    };
    const source = join(work, 'source');
    await mkdir(source);
    await writeFile(join(source, 'a.bin'), randomBytes(200_000));
    await run('borg', ['init', '-e', 'none', repo.path], { env });
    await run('borg', ['create', `${repo.path}::first`, source], { env });
    const backedUpAt = await waitFor('the hive to see the backup', async () => {
      const r = await hive.gql<{ repository: { lastUpdatedAt: string | null; isOpen: boolean } }>(
        hive.adminToken,
        `{repository(id:${repo.id}){lastUpdatedAt isOpen}}`,
      );
      const seen = r.data?.repository;
      return seen?.lastUpdatedAt && !seen.isOpen ? seen.lastUpdatedAt : undefined;
    });
    const selector = `{job="borg-hive",repository="laptop"}`;
    // the hive may see borg's last commit of the session a moment after the first: compare with its answer now
    const lastUpdated = async () =>
      Date.parse(
        (
          await hive.gql<{ repository: { lastUpdatedAt: string } }>(
            hive.adminToken,
            `{repository(id:${repo.id}){lastUpdatedAt}}`,
          )
        ).data!.repository.lastUpdatedAt,
      );
    const [series] = await waitFor(`the backup's series in Prometheus\n${promLog}`, async () => {
      const result = await query(`borghive_repository_last_backup_timestamp_seconds${selector}`);
      const value = Number(result[0]?.value[1]);
      return value * 1000 >= Date.parse(backedUpAt) && value * 1000 === (await lastUpdated())
        ? result
        : undefined;
    });
    assert.equal(series!.metric.repo_user, repo.repoUser);
    assert.equal(series!.metric.owner, 'alice');
    assert.equal(Number(series!.value[1]) * 1000, await lastUpdated());
    const [health] = await query(`borghive_repository_health${selector}`);
    assert.equal(health?.metric.state, 'OK');
    const [usage] = await query(`borghive_repository_usage_bytes${selector}`);
    assert.ok(Number(usage?.value[1]) > 0, 'usage measured after the backup');
  });

  it('a scrape without the token is refused: the job is down, and the hive answers 401', async () => {
    const [up] = await waitFor('a scrape of the job without a token', async () => {
      const result = await query('up{job="no-token"}');
      return result.length > 0 ? result : undefined;
    });
    assert.equal(up!.value[1], '0');
    const [withToken] = await query('up{job="borg-hive"}');
    assert.equal(withToken!.value[1], '1');
    assert.equal((await fetch(`${hive.url}/metrics`)).status, 401);
  });

  it('loads the documented alerting rules, which evaluate, and runs every query of the Grafana dashboard', async () => {
    const rules = await waitFor('the rules to be evaluated', async () => {
      const res = await fetch(`${promUrl}/api/v1/rules`);
      const body = (await res.json()) as {
        data: { groups: { rules: { name: string; health: string; lastEvaluation: string }[] }[] };
      };
      const all = body.data.groups.flatMap((g) => g.rules);
      return all.length > 0 && all.every((r) => !r.lastEvaluation.startsWith('0001')) ? all : undefined;
    });
    assert.deepEqual(
      rules.filter((r) => r.health !== 'ok').map((r) => r.name),
      [],
      'every rule evaluates',
    );
    assert.ok(rules.some((r) => r.name === 'BorgBackupTooOld'));
    const dashboard = JSON.parse(await readFile(join(DOCS, 'grafana-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets) {
        const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
        assert.equal(res.status, 200, `${panel.title}: ${expr}: ${await res.text()}`);
      }
    }
    const [total] = await query('borghive_repositories{job="borg-hive"}');
    assert.equal(total?.value[1], '1');
  });
});
