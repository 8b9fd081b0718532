#!/usr/bin/env bash
# npm run check: lint (and the lint rules' own tests), no import cycle between server modules, type-check
# every project, the schema drift check, then the unit tier (npm test runs every tier).
set -euo pipefail
cd "$(dirname "$0")/.."
node --test 'eslint/**/*.test.js'
npx eslint .
node eslint/module-graph.js server/src/modules
npx tsc -b
npx tsc -p desktop
npx tsc -p keys
node server/dist/main.js schema | diff -u schema/schema.graphql - || {
  echo "schema/schema.graphql is out of date: run npm run schema" >&2
  exit 1
}
npm run test:unit --silent
