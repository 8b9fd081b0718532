import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { borg1Scenarios, borgVersion } from './support/borg1-scenarios.js';
import { startKeysRig, type KeysRig } from './support/keys-rig.js';
import { run } from './support/run.js';
import { sidNodeUnavailable, type SidNode } from './support/sid-node.js';
import { startSshd, type RunningSshd } from './support/sshd.js';

const skip = await sidNodeUnavailable();
if (skip !== undefined) process.stderr.write(`borg14-sid.test: skipped: ${skip}\n`);

/**
 * The borg 1 scenarios of keys-hive-borg.test.ts with borg 1.4 (Debian sid's, in the storage node) on
 * either side or both: a 1.4 client against a 1.4 server, this machine's 1.2 client against the 1.4
 * server, and a 1.4 client against this machine's 1.2 server. The hive's forced commands are the same
 * for both versions; append-only, the rollback and --storage-quota behave alike.
 */
describe('borg 1.4 through the sid storage node, borg-hive-keys and the hive', { skip }, () => {
  let rig: KeysRig;
  let node: SidNode;
  /** sshd on this machine (borg 1.2 serve), asking the same borg-hive-keys and hive as the node's. */
  let hostSshd: RunningSshd;
  const sid: SidNode['run'] = (...args) => node.run(...args);
  before(async () => {
    rig = await startKeysRig({ sidNode: true });
    node = rig.node!;
    hostSshd = await startSshd({ keysCommand: rig.client.command, keysCommandUser: 'nobody' });
  });
  after(async () => {
    await hostSshd?.stop();
    await rig?.dispose();
  });

  test('the node serves and runs borg 1.4, this machine borg 1.2', async () => {
    assert.match(await borgVersion(sid), /^borg 1\.4\./);
    assert.match(await borgVersion(run), /^borg 1\.2\./);
  });

  describe('a borg 1.4 client against a borg 1.4 server', () => {
    borg1Scenarios(() => ({ rig, label: 'both14', client: sid, clientVersion: /^borg 1\.4\./ }));
  });

  describe('a borg 1.2 client (this machine) against a borg 1.4 server', () => {
    borg1Scenarios(() => ({ rig, label: 'to14', client: run, clientVersion: /^borg 1\.2\./ }));
  });

  describe('a borg 1.4 client against a borg 1.2 server (this machine)', () => {
    borg1Scenarios(() => ({
      rig,
      label: 'to12',
      client: sid,
      clientVersion: /^borg 1\.4\./,
      sshd: hostSshd,
    }));
  });
});
