import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Kind, parse, specifiedRules, validate, NoUnusedFragmentsRule, type DocumentNode } from 'graphql';
import { getSchema } from '@borg-hive/server/testing';
import { repoRoot } from './support/paths.js';

const sources = path.join(repoRoot, 'desktop/src');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every gql`...` literal of the desktop sources, with `${fragment}` interpolations dropped. */
async function documents(): Promise<{ file: string; document: DocumentNode }[]> {
  const found: { file: string; document: DocumentNode }[] = [];
  for (const file of await sourceFiles(sources)) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/gql`([^`]*)`/g)) {
      found.push({
        file: path.relative(repoRoot, file),
        document: parse(match[1]!.replace(/\$\{[^}]*\}/g, '')),
      });
    }
  }
  return found;
}

test('every operation of the desktop app and web console is valid against the server schema', async () => {
  const schema = await getSchema();
  const all = await documents();
  const fragments = all.flatMap(({ document }) =>
    document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION),
  );
  const operations = all.filter(({ document }) =>
    document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION),
  );
  assert.ok(operations.length >= 15, `found only ${operations.length} operations`);
  const rules = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);
  const problems: string[] = [];
  for (const { file, document } of operations) {
    const own = new Set(
      document.definitions.map((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? d.name.value : '')),
    );
    const withFragments: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [...document.definitions, ...fragments.filter((f) => !own.has(f.name.value))],
    };
    for (const error of validate(schema, withFragments, rules)) problems.push(`${file}: ${error.message}`);
  }
  assert.deepEqual(problems, []);
});
