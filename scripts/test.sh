#!/usr/bin/env bash
# npm test: installs and starts what the suite needs (as root), builds, then runs every test file.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
npx tsc -b
npx tsc -p desktop            # renderer type-check (noEmit, not a project reference)
npm run build -w desktop --silent   # the web console the server serves and e2e drives
node --test --test-reporter=spec --test-timeout=600000 \
  'eslint/**/*.test.js' 'server/dist/**/*.test.js' 'desktop/dist/electron/**/*.test.js' 'e2e/dist/**/*.test.js' "$@"
