import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ATTENTION_RANK, HealthState } from '../repository/index.js';
import { gunzipSync } from 'node:zlib';
import { familyHeader, familySamples, labelsOf, labelValue, REPOSITORY_FAMILIES } from './exposition.js';
import type { RepositoryMetricRow } from './metrics-query.js';
import { RepositorySeries } from './repository-series.js';

const row = (over: Partial<RepositoryMetricRow>): RepositoryMetricRow => ({
  id: 1,
  name: 'laptop',
  repoUser: 'ab12cd34',
  owner: 'alice',
  lastBackupAt: null,
  usageBytes: null,
  quotaBytes: null,
  isOpen: false,
  healthRank: ATTENTION_RANK[HealthState.NEVER_BACKED_UP],
  lastPingSuccessAt: null,
  lastPingFailureAt: null,
  archiveCount: null,
  lastRunAt: null,
  lastRunSucceeded: null,
  ...over,
});

it('escapes label values as the text format asks', () => {
  assert.equal(labelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
});

/** The whole text of these rows as one scrape writes it: families in order, each header then samples. */
function exposition(rows: RepositoryMetricRow[]): string {
  const labels = rows.map(labelsOf);
  return REPOSITORY_FAMILIES.map((f) => familyHeader(f) + familySamples(f, rows, labels)).join('');
}

it('writes known values in epoch seconds, leaves unknown ones out (no run: no run series), one health series per repository', () => {
  const lines = exposition([
    row({}),
    row({
      id: 2,
      name: 'server',
      repoUser: 'ef56gh78',
      owner: 'Bj"örn',
      lastBackupAt: Date.parse('2026-11-02T10:00:00.250Z'),
      usageBytes: 123,
      isOpen: true,
      archiveCount: 0,
      lastRunAt: Date.parse('2026-11-02T09:50:00Z'),
      lastRunSucceeded: false,
      healthRank: ATTENTION_RANK[HealthState.IN_PROGRESS],
    }),
  ]).split('\n');
  const samples = lines.filter((l) => l !== '' && !l.startsWith('#'));
  const server = 'repository="server",repo_user="ef56gh78",owner="Bj\\"örn"';
  const laptop = 'repository="laptop",repo_user="ab12cd34",owner="alice"';
  assert.deepEqual(samples, [
    `borghive_repository_last_backup_timestamp_seconds{${server}} 1793613600.25`,
    `borghive_repository_usage_bytes{${server}} 123`,
    `borghive_repository_open{${laptop}} 0`,
    `borghive_repository_open{${server}} 1`,
    `borghive_repository_health{${laptop},state="NEVER_BACKED_UP"} 1`,
    `borghive_repository_health{${server},state="IN_PROGRESS"} 1`,
    `borghive_repository_archives{${server}} 0`,
    `borghive_repository_last_run_timestamp_seconds{${server}} 1793613000`,
    `borghive_repository_last_run_success{${server}} 0`,
  ]);
  assert.ok(lines.includes('# TYPE borghive_repository_quota_bytes gauge'), 'every family is declared');
});

describe('RepositorySeries', () => {
  // ids across three blocks of 1,024, put in no particular order
  const ids = [5000, 3, 1024, 2, 4097, 1];
  const rows = ids.map((id) => row({ id, name: `r${id}`, usageBytes: id * 10 }));
  const text = async (series: RepositorySeries) => gunzipSync(Buffer.concat(await series.gzip())).toString();

  it('answers the same text as writing every row at once: families whole, repositories by id', async () => {
    const series = new RepositorySeries();
    for (const r of rows) series.put(r);
    assert.equal(await text(series), exposition([...rows].sort((a, b) => a.id - b.id)));
    assert.equal(series.size, 6);
    assert.equal(series.byState().get(HealthState.NEVER_BACKED_UP), 6);
  });

  it('re-writes only the block of a changed repository and forgets a removed one', async () => {
    const series = new RepositorySeries();
    for (const r of rows) series.put(r);
    const before = await series.gzip();
    assert.equal(series.put({ ...rows[0]! }), false, 'an unchanged row changes nothing');
    const again = await series.gzip();
    assert.ok(again.length === before.length && again.every((m, i) => m === before[i]), 'the same buffers');
    const changed = row({
      id: 5000,
      name: 'r5000',
      usageBytes: 1,
      healthRank: ATTENTION_RANK[HealthState.OK],
    });
    assert.equal(series.put(changed), true);
    const after = await series.gzip();
    const fresh = after.filter((member) => !before.includes(member));
    // its block (ids 4097 and 5000) has samples in three families (usage, open, health): only those
    // three members are new; the headers and the members of the other two blocks are the same buffers
    assert.equal(fresh.length, 3);
    assert.equal(series.remove(1024), true);
    assert.equal(series.remove(1024), false);
    const expected = rows.filter((r) => r.id !== 1024 && r.id !== 5000).concat(changed);
    assert.equal(await text(series), exposition(expected.sort((a, b) => a.id - b.id)));
    assert.equal(series.byState().get(HealthState.OK), 1);
    assert.equal(series.size, 5);
  });
});
