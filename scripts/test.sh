#!/usr/bin/env bash
# npm test: installs and starts what the suite needs (as root), builds, then runs every test file.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
npx tsc -b
node --test --test-reporter=spec --test-timeout=600000 \
  'server/dist/**/*.test.js' 'e2e/dist/**/*.test.js' "$@"
