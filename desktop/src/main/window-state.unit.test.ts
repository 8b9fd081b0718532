import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restoreWindow } from './window-state.js';

const screen = { x: 0, y: 0, width: 1920, height: 1080 };

test('a saved window on a present display comes back as it was', () => {
  const saved = { bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true };
  assert.deepEqual(restoreWindow(saved, [screen]), saved);
});

test('a window on a display that is gone, too small or malformed is centred at the default size', () => {
  const centred = { bounds: { x: 360, y: 140, width: 1200, height: 800 }, maximized: false };
  assert.deepEqual(
    restoreWindow({ bounds: { x: 3000, y: 50, width: 1000, height: 700 } }, [screen]),
    centred,
  );
  assert.deepEqual(restoreWindow({ bounds: { x: 10, y: 10, width: 100, height: 100 } }, [screen]), centred);
  assert.deepEqual(restoreWindow({ bounds: { x: 'a' } }, [screen]), centred);
  assert.deepEqual(restoreWindow(null, [screen]), centred);
  assert.deepEqual(restoreWindow(null, [{ x: 0, y: 0, width: 800, height: 600 }]).bounds, {
    x: 0,
    y: 0,
    width: 800,
    height: 600,
  });
});
