import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { WatchReport, WatchReportType } from './event-sink.js';
import { applyReport, type ReportedFields } from './reported-state.js';

const T = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const report = (type: WatchReportType, minute: number, usageBytes?: number): WatchReport => ({
  repoUser: 'u1234567',
  repoName: 'a',
  type,
  at: T(minute),
  ...(usageBytes === undefined ? {} : { usageBytes }),
});

function after(reports: WatchReport[], start: Partial<ReportedFields> = {}): ReportedFields {
  const repo: ReportedFields = {
    isOpen: false,
    lastAccessAt: null,
    lastUpdatedAt: null,
    usageBytes: null,
    ...start,
  };
  for (const r of reports) applyReport(repo, r);
  return repo;
}

it('a write session opens and closes the repository and stamps its access; a commit its update', () => {
  assert.deepEqual(after([report('OPENED', 1), report('UPDATED', 2)]), {
    isOpen: true,
    lastAccessAt: T(1),
    lastUpdatedAt: T(2),
    usageBytes: null,
  });
  assert.deepEqual(
    after([report('OPENED', 1), report('UPDATED', 2), report('CLOSED', 3), report('MEASURED', 3, 4096)]),
    {
      isOpen: false,
      lastAccessAt: T(3),
      lastUpdatedAt: T(2),
      usageBytes: 4096,
    },
  );
});

it('a late report never moves a time back', () => {
  const repo = after([report('UPDATED', 1), report('ACCESSED', 4)], {
    lastUpdatedAt: T(10),
    lastAccessAt: T(10),
  });
  assert.deepEqual([repo.lastUpdatedAt, repo.lastAccessAt], [T(10), T(10)]);
});

it('a deleted repository is no longer open; CREATED and ACCESSED stamp the access only', () => {
  assert.equal(after([report('OPENED', 1), report('DELETED', 2)]).isOpen, false);
  assert.deepEqual(after([report('CREATED', 1), report('ACCESSED', 2)]), {
    isOpen: false,
    lastAccessAt: T(2),
    lastUpdatedAt: null,
    usageBytes: null,
  });
});
