import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectionMonitor, describeConnection, retryDelayMs } from './connection-state.js';

const time = (ms: number): string => `t${ms}`;

test('an outage keeps its first moment, counts one return, and describes the countdown', () => {
  const monitor = new ConnectionMonitor();
  let notified = 0;
  monitor.subscribe(() => (notified += 1));
  assert.equal(monitor.getSnapshot().kind, 'connecting');
  monitor.connected(1000);
  assert.equal(monitor.reconnects, 0, 'the first connection is not a return');
  monitor.lost(2000);
  monitor.retrying(4000);
  monitor.lost(4100);
  assert.deepEqual(monitor.getSnapshot(), { kind: 'offline', since: 2000, retryAt: null });
  monitor.retrying(7000);
  assert.equal(
    describeConnection(monitor.getSnapshot(), 4200, time),
    'offline since t2000, reconnecting in 3 s',
  );
  assert.equal(describeConnection(monitor.getSnapshot(), 7000, time), 'offline since t2000, reconnecting…');
  monitor.connected(7100);
  assert.equal(monitor.reconnects, 1);
  assert.equal(describeConnection(monitor.getSnapshot(), 7100, time), 'connected');
  assert.equal(notified, 6);
});

test('a refused token stays signed out: later closes do not turn it into an outage', () => {
  const monitor = new ConnectionMonitor();
  monitor.connected(1);
  monitor.signedOut(2);
  monitor.lost(3);
  assert.deepEqual(monitor.getSnapshot(), { kind: 'signed-out', since: 2 });
});

test('a refused certificate is told apart from offline, survives further closes and clears on connecting', () => {
  const monitor = new ConnectionMonitor();
  monitor.lost(1);
  monitor.wrongCertificate(2, 'net::ERR_CERT_AUTHORITY_INVALID');
  monitor.lost(3);
  monitor.retrying(4);
  const state = monitor.getSnapshot();
  assert.deepEqual(state, { kind: 'wrong-certificate', since: 2, detail: 'net::ERR_CERT_AUTHORITY_INVALID' });
  assert.match(describeConnection(state, 5, time), /^wrong certificate \(net::ERR_CERT_AUTHORITY_INVALID\)/);
  monitor.connected(6);
  assert.equal(monitor.getSnapshot().kind, 'connected');
});

test('retries wait half a second, doubling, never more than 5 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 10].map(retryDelayMs), [500, 1000, 2000, 4000, 5000, 5000]);
});
