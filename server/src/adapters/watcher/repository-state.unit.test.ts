import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEvent, reconcileEvents } from './apply-event.js';
import { ABSENT_REPOSITORY, diffState, type RepositoryState } from './repository-state.js';
import type { RepoWatchEvent } from './watch-event.js';

const t = (seconds: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
const ref = { repoUser: 'abcd1234', repoName: 'repo', path: '/repos/abcd1234/repo' };
const closed: RepositoryState = {
  exists: true,
  initialized: true,
  isOpen: false,
  lastUpdatedAt: t(10),
  lastAccessAt: t(11),
};
const open: RepositoryState = { ...closed, isOpen: true, lastAccessAt: t(12) };
const event = (type: RepoWatchEvent['type'], at: Date): RepoWatchEvent => ({ ...ref, type, at });
const fold = (from: RepositoryState, to: RepositoryState): RepositoryState =>
  reconcileEvents(from, to, ref, t(99)).reduce(applyEvent, from);

test('diffState: known open, closed on disk => CLOSED', () => {
  assert.deepEqual(diffState(open, { ...closed, lastAccessAt: t(13) }), ['CLOSED']);
});

test('diffState: newer index => UPDATED; open with a newer index => UPDATED then OPENED', () => {
  assert.deepEqual(diffState(closed, { ...closed, lastUpdatedAt: t(20), lastAccessAt: t(20) }), [
    'UPDATED',
    'ACCESSED',
  ]);
  assert.deepEqual(diffState(closed, { ...open, lastUpdatedAt: t(20) }), ['UPDATED', 'OPENED']);
  assert.deepEqual(diffState(open, { ...closed, lastUpdatedAt: t(20), lastAccessAt: t(21) }), [
    'UPDATED',
    'CLOSED',
  ]);
});

test('diffState: directory gone => DELETED; new repository => CREATED (+ its state)', () => {
  assert.deepEqual(diffState(open, ABSENT_REPOSITORY), ['DELETED']);
  assert.deepEqual(diffState(ABSENT_REPOSITORY, ABSENT_REPOSITORY), []);
  assert.deepEqual(diffState(ABSENT_REPOSITORY, closed), ['CREATED', 'UPDATED']);
  assert.deepEqual(diffState(ABSENT_REPOSITORY, open), ['CREATED', 'UPDATED', 'OPENED']);
});

test('diffState: nothing changed => nothing to record (a restart records no duplicates)', () => {
  assert.deepEqual(diffState(closed, closed), []);
  assert.deepEqual(diffState(open, open), []);
  assert.deepEqual(diffState(closed, { ...closed, lastUpdatedAt: t(5) }), []);
});

test('reconciled events folded through applyEvent turn the old state into the disk state', () => {
  const states: RepositoryState[] = [
    ABSENT_REPOSITORY,
    { ...ABSENT_REPOSITORY, exists: true, lastAccessAt: t(1) },
    closed,
    open,
    { ...open, lastUpdatedAt: t(30), lastAccessAt: t(31) },
    { ...closed, lastUpdatedAt: t(40), lastAccessAt: t(41) },
  ];
  for (const [i, from] of states.entries()) {
    for (const to of states.slice(i)) assert.deepEqual(fold(from, to), to);
    assert.deepEqual(fold(from, ABSENT_REPOSITORY), ABSENT_REPOSITORY);
  }
});

test('applyEvent returns the same state for duplicates, so nothing is recorded twice', () => {
  assert.equal(applyEvent(open, event('OPENED', t(50))), open);
  assert.equal(applyEvent(closed, event('CLOSED', t(50))), closed);
  assert.equal(applyEvent(closed, event('UPDATED', t(10))), closed);
  assert.equal(applyEvent(closed, event('CREATED', t(50))), closed);
  assert.equal(applyEvent(ABSENT_REPOSITORY, event('DELETED', t(50))), ABSENT_REPOSITORY);
  assert.equal(applyEvent(closed, event('ACCESSED', t(11))), closed);
  const opened = applyEvent(closed, { ...event('OPENED', t(50)), access: 'write' });
  assert.deepEqual(opened, { ...closed, isOpen: true, lastAccessAt: t(50) });
  assert.deepEqual(applyEvent(opened, event('UPDATED', t(51))), { ...opened, lastUpdatedAt: t(51) });
});
