#!/usr/bin/env bash
# npm run check: type-checks every part (lint and the schema drift check are added here as they land).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -b
npx tsc -p keys               # borg-hive-keys.cjs: plain JS checked with // @ts-check (noEmit)
