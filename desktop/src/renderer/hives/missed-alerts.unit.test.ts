import assert from 'node:assert/strict';
import { test } from 'node:test';
import { missedAlerts } from './missed-alerts.js';

test('only alerts raised during the outage are missed ones', () => {
  const since = Date.parse('2026-01-01T10:00:00Z');
  const rows = [
    { id: '1', name: 'before', lastAlertAt: '2026-01-01T09:00:00Z' },
    { id: '2', name: 'during', lastAlertAt: '2026-01-01T10:05:00Z' },
    { id: '3', name: 'never', lastAlertAt: null },
    { id: '4', name: 'edge', lastAlertAt: '2026-01-01T09:59:59.500Z' },
  ];
  assert.deepEqual(
    missedAlerts(rows, since).map((row) => row.name),
    ['during', 'edge'],
  );
});
