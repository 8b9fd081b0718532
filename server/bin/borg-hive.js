#!/usr/bin/env node
// The `borg-hive` command (`npx borg-hive ...` from the repository root): npm links this committed file at
// install time, before anything is built, so it exists even on a fresh clone and says what is missing.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('borg-hive: the server is not built yet; run `npm run build` (or `npm start`) first.\n');
  process.exit(1);
}
await import(main.href);
