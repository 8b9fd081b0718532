import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { KEY_FINGERPRINT, REPO_USER, REPOSITORY_NAME, SSH_KEY_TYPES } from './index.js';
import { keysRulesBlock, withKeysRules } from './keys-rules-block.js';

describe('the rules block of borg-hive-keys.cjs', () => {
  it('declares the same rules as the module, in plain JavaScript', () => {
    const rules = runInNewContext(
      `${keysRulesBlock()}({ USER_RE, REPO_NAME_RE, FINGERPRINT_RE, KEY_TYPES })`,
    ) as {
      USER_RE: RegExp;
      REPO_NAME_RE: RegExp;
      FINGERPRINT_RE: RegExp;
      KEY_TYPES: Set<string>;
    };
    assert.equal(rules.USER_RE.source, REPO_USER.source);
    assert.equal(rules.USER_RE.flags, '');
    assert.equal(rules.REPO_NAME_RE.source, REPOSITORY_NAME.source);
    assert.equal(rules.REPO_NAME_RE.flags, '');
    assert.equal(rules.FINGERPRINT_RE.source, KEY_FINGERPRINT.source);
    assert.equal(rules.FINGERPRINT_RE.flags, '');
    assert.deepEqual([...rules.KEY_TYPES], [...SSH_KEY_TYPES]);
  });

  it('replaces a stale block and keeps everything around it', () => {
    const stale = `'use strict';\n${keysRulesBlock().replace("'ssh-rsa',\n", '')}main();\n`;
    assert.equal(withKeysRules(stale), `'use strict';\n${keysRulesBlock()}main();\n`);
  });

  it('refuses a file without exactly one block', () => {
    assert.throws(() => withKeysRules("'use strict';\n"), /exactly one block/);
    assert.throws(() => withKeysRules(keysRulesBlock() + keysRulesBlock()), /exactly one block/);
  });
});
