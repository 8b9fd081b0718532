// `node rules/dist/keys-rules.cli.js [--check]`: writes the shared rules into keys/borg-hive-keys.cjs
// (part of `npm run codegen`); with --check, fails when the committed block is stale (`npm run check`).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withKeysRules } from './keys-rules-block.js';

const file = fileURLToPath(new URL('../../keys/borg-hive-keys.cjs', import.meta.url));
const committed = readFileSync(file, 'utf8');
const current = withKeysRules(committed);
if (current === committed) process.exit(0);
if (process.argv.includes('--check')) {
  process.stderr.write(
    'keys/borg-hive-keys.cjs: its block of generated rules is out of date: run npm run codegen\n',
  );
  process.exit(1);
}
writeFileSync(file, current);
process.stdout.write('keys/borg-hive-keys.cjs: generated rules updated\n');
