#!/usr/bin/env bash
# npm run check: build, lint (and the lint rules' own tests), no import cycle between server modules, type-check
# every project, the schema and codegen drift checks, then the unit tier (npm test runs every tier).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -b                    # first: type-aware lint reads the built @borg-hive/rules declarations
node --test 'eslint/**/*.test.js'
npx eslint .
node eslint/module-graph.js server/src/modules
npx tsc -p desktop
npx tsc -p keys
node server/dist/main.js schema | diff -u schema/schema.graphql - || {
  echo "schema/schema.graphql is out of date: run npm run schema" >&2
  exit 1
}
npx graphql-codegen --config schema/codegen.ts --check || {
  echo "desktop/src/renderer/graphql/generated/ is out of date or a renderer operation is invalid (above): run npm run codegen" >&2
  exit 1
}
node rules/dist/keys-rules.cli.js --check   # keys/borg-hive-keys.cjs carries its own copy of rules/src
npm run test:unit --silent
