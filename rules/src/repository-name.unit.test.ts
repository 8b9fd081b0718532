import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REPOSITORY_NAME, REPOSITORY_NAME_HTML_PATTERN } from './repository-name.js';

const samples = [
  'a',
  'main',
  'A.b_c-d',
  '0',
  'x'.repeat(64),
  'x'.repeat(65),
  '-a',
  '.a',
  '_a',
  'a b',
  'a/b',
  '',
  'é',
];

describe('repository names', () => {
  it('accepts what the contract names (^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$)', () => {
    const accepted = samples.filter((name) => REPOSITORY_NAME.test(name));
    assert.deepEqual(accepted, ['a', 'main', 'A.b_c-d', '0', 'x'.repeat(64)]);
  });

  it('as an HTML pattern (anchored, v flag as browsers compile it) accepts the same names', () => {
    const html = new RegExp(`^(?:${REPOSITORY_NAME_HTML_PATTERN})$`, 'v');
    for (const name of samples) assert.equal(html.test(name), REPOSITORY_NAME.test(name), name);
  });
});
