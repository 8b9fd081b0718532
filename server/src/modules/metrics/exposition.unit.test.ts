import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ATTENTION_RANK, HealthState } from '../repository/index.js';
import { labelValue, TextBuffer, writeRepositoryExposition } from './exposition.js';
import type { RepositoryMetricRow } from './metrics-query.js';

const row = (over: Partial<RepositoryMetricRow>): RepositoryMetricRow => ({
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
  ...over,
});

it('escapes label values as the text format asks', () => {
  assert.equal(labelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
});

it('writes known values in epoch seconds, leaves unknown ones out, one health series per repository', () => {
  const out = new TextBuffer();
  writeRepositoryExposition(
    [
      row({}),
      row({
        name: 'server',
        repoUser: 'ef56gh78',
        owner: 'Bj"örn',
        lastBackupAt: Date.parse('2026-11-02T10:00:00.250Z'),
        usageBytes: 123,
        isOpen: true,
        healthRank: ATTENTION_RANK[HealthState.IN_PROGRESS],
      }),
    ],
    out,
  );
  const lines = out.bytes().toString('utf8').split('\n');
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
  ]);
  assert.ok(lines.includes('# TYPE borghive_repository_quota_bytes gauge'), 'every family is declared');
});

it('grows its buffer past the first megabyte', () => {
  const out = new TextBuffer();
  const piece = 'x'.repeat(1000);
  for (let i = 0; i < 3000; i++) out.put(piece);
  assert.equal(out.bytes().length, 3_000_000);
});

it('hands over each family as written: together they are the whole text', () => {
  const out = new TextBuffer();
  const families: string[] = [];
  const rows = Array.from({ length: 5000 }, (_, i) => row({ name: `r${i}`, usageBytes: i }));
  writeRepositoryExposition(rows, out, (bytes) => families.push(bytes.toString('utf8')));
  assert.equal(families.length, 7);
  assert.equal(families.join(''), out.bytes().toString('utf8'));
  assert.ok(families.every((f) => f.startsWith('# HELP borghive_repository_')));
});
