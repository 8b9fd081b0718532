import assert from 'node:assert/strict';
import { test } from 'node:test';
import { row } from './test-rows.js';
import { apiFilter, defaultView, hivesOfView, matchesView, sortBy, toggle } from './view.js';

test('the API filter carries only what is set; the summary counts every state', () => {
  assert.deepEqual(apiFilter(defaultView), {});
  const view = {
    ...defaultView,
    search: ' db ',
    states: ['FAILED' as const],
    owner: { hiveId: 'a', id: '3' },
  };
  assert.deepEqual(apiFilter(view), { search: 'db', states: ['FAILED'], ownerId: '3' });
  assert.deepEqual(apiFilter(view, false), { search: 'db', ownerId: '3' });
});

test('a changed repository belongs to the view as the server would decide', () => {
  const anna = { id: '3', username: 'Anna' };
  const r = row('a', { id: '1', name: 'mail', state: 'FAILED', owner: anna, repoUser: 'u0001' });
  assert.ok(matchesView(defaultView, r));
  assert.ok(matchesView({ ...defaultView, search: 'ANN' }, r), 'owner username');
  assert.ok(matchesView({ ...defaultView, search: 'U000' }, r), 'repo user');
  assert.ok(!matchesView({ ...defaultView, search: 'web' }, r));
  assert.ok(!matchesView({ ...defaultView, states: ['OK'] }, r));
  assert.ok(!matchesView({ ...defaultView, hiveIds: ['b'] }, r));
  assert.ok(matchesView({ ...defaultView, owner: { hiveId: 'a', id: '3' } }, r));
  assert.ok(!matchesView({ ...defaultView, owner: { hiveId: 'b', id: '3' } }, r));
});

test('sort headers, chips and the hives a view reads', () => {
  assert.deepEqual(sortBy(defaultView, 'ATTENTION'), { ...defaultView, reverse: true });
  assert.deepEqual(sortBy({ ...defaultView, reverse: true }, 'NAME'), { ...defaultView, order: 'NAME' });
  assert.deepEqual(toggle(['a', 'b'], 'a'), ['b']);
  assert.deepEqual(toggle(['b'], 'a'), ['b', 'a']);
  assert.deepEqual(hivesOfView(defaultView, ['x', 'y']), ['x', 'y']);
  assert.deepEqual(hivesOfView({ ...defaultView, hiveIds: ['y'] }, ['x', 'y']), ['y']);
  assert.deepEqual(hivesOfView({ ...defaultView, owner: { hiveId: 'x', id: '1' } }, ['x', 'y']), ['x']);
});
