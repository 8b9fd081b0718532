import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultView, type OverviewView } from './view.js';
import { decodeView, encodeView } from './view-url.js';

test('the default view is the bare overview', () => {
  assert.equal(encodeView(defaultView), '');
  assert.deepEqual(decodeView(''), defaultView);
});

test('a copied link reopens the same view', () => {
  const view: OverviewView = {
    search: 'db & mail/x',
    states: ['FAILED', 'STALE'],
    hiveIds: ['lab', 'office'],
    owner: { hiveId: 'lab', id: '42' },
    order: 'LAST_BACKUP',
    reverse: true,
  };
  const query = encodeView(view);
  assert.equal(
    query,
    'q=db+%26+mail%2Fx&state=FAILED%2CSTALE&hive=lab%2Coffice&owner=lab%3A42&sort=LAST_BACKUP&reverse=1',
  );
  assert.deepEqual(decodeView(query), view);
});

test('states keep one canonical order; what is not understood stays at its default', () => {
  assert.equal(encodeView({ ...defaultView, states: ['OK', 'FAILED'] }), 'state=FAILED%2COK');
  assert.deepEqual(decodeView('state=OK,BOGUS,FAILED&sort=SIZE&reverse=yes&owner=nobody'), {
    ...defaultView,
    states: ['FAILED', 'OK'],
  });
});
