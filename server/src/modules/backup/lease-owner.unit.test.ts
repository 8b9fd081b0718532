import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaseOwnerOf, ownerDiedHere } from './lease-owner.js';

const ID = '3f2b8a1c-0d4e-4f6a-9b7c-2e1d0c9b8a7f';

test('the lease owner records host, pid and instance, within the column’s 64 characters', () => {
  assert.equal(leaseOwnerOf(ID, 4242, 'hive-1'), `hive-1 4242 ${ID}`);
  const long = leaseOwnerOf(ID, 4242, `${'h'.repeat(80)}.example.org`);
  assert.equal(long.length, 64);
  assert.ok(long.endsWith(` 4242 ${ID}`));
  assert.equal(leaseOwnerOf(ID, 1, 'a b'), `a_b 1 ${ID}`, 'no space in the host part');
});

test('a run is known dead at once only when its hive ran on this host and its process is gone', () => {
  const dead = () => false;
  const alive = () => true;
  assert.equal(ownerDiedHere(leaseOwnerOf(ID, 4242, 'hive-1'), 'hive-1', dead), true);
  assert.equal(
    ownerDiedHere(leaseOwnerOf(ID, 4242, 'hive-1'), 'hive-1', alive),
    false,
    'alive: the lease decides',
  );
  assert.equal(ownerDiedHere(leaseOwnerOf(ID, 4242, 'hive-2'), 'hive-1', dead), false, 'another host');
  const long = `${'h'.repeat(80)}.example.org`;
  assert.equal(ownerDiedHere(leaseOwnerOf(ID, 7, long), long, dead), true, 'a cut host name still matches');
  for (const owner of [null, '', 'a hive that died', ID, `hive-1 x ${ID}`, `hive-1 0 ${ID}`])
    assert.equal(ownerDiedHere(owner, 'hive-1', dead), false, String(owner));
});
