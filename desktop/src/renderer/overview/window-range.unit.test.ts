import assert from 'node:assert/strict';
import { test } from 'node:test';
import { windowRange } from './window-range.js';

test('the visible rows plus the overscan, clamped to the list', () => {
  const base = { viewportHeight: 600, rowHeight: 60, count: 1000, overscan: 5 };
  assert.deepEqual(windowRange({ ...base, scrollTop: 0 }), { start: 0, end: 15 });
  assert.deepEqual(windowRange({ ...base, scrollTop: 6000 }), { start: 95, end: 115 });
  assert.deepEqual(windowRange({ ...base, scrollTop: 6030 }), { start: 95, end: 116 });
  assert.deepEqual(windowRange({ ...base, scrollTop: 59_900 }), { start: 993, end: 1000 });
  assert.deepEqual(windowRange({ ...base, count: 3, scrollTop: 0 }), { start: 0, end: 3 });
  assert.deepEqual(windowRange({ ...base, scrollTop: -40 }), { start: 0, end: 15 });
});
