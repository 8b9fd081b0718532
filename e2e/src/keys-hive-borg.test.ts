import { after, before, describe } from 'node:test';
import { borg1Scenarios } from './support/borg1-scenarios.js';
import { startKeysRig, type KeysRig } from './support/keys-rig.js';
import { run } from './support/run.js';

/** This machine's borg (1.2) on both sides; borg14-sid.test.ts runs the same scenarios with borg 1.4. */
describe('borg through sshd, borg-hive-keys and the real hive', { skip: process.getuid?.() !== 0 }, () => {
  let rig: KeysRig;
  before(async () => {
    rig = await startKeysRig();
  });
  after(() => rig?.dispose());

  borg1Scenarios(() => ({ rig, label: 'local', client: run, clientVersion: /^borg 1\.2\./ }));
});
