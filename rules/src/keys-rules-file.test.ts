import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { it } from 'node:test';
import { withKeysRules } from './keys-rules-block.js';

it('the rules block of the committed keys/borg-hive-keys.cjs is up to date (npm run codegen writes it)', async () => {
  const committed = await readFile(new URL('../../keys/borg-hive-keys.cjs', import.meta.url), 'utf8');
  const fresh = withKeysRules(committed) === committed;
  assert.ok(
    fresh,
    'keys/borg-hive-keys.cjs: its block of generated rules is out of date: run npm run codegen',
  );
});
