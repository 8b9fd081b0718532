import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Kind, parse, specifiedRules, validate, NoUnusedFragmentsRule, type DocumentNode } from 'graphql';
import { getSchema } from '@borg-hive/server/testing';
import { repoRoot } from './support/paths.js';
import { run } from './support/run.js';

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

/** `Me` as a query is typed `MeQuery`; a mutation `LoginMutation`; a subscription `…Subscription`. */
const generatedName = (kind: string, operation: string): string =>
  `${operation}${kind[0]!.toUpperCase()}${kind.slice(1)}`;

test('every operation is typed with the generated result and variables types of its own name', async () => {
  const problems: string[] = [];
  let typed = 0;
  for (const file of await sourceFiles(sources)) {
    const text = await readFile(file, 'utf8');
    const where = path.relative(repoRoot, file);
    for (const match of text.matchAll(
      /(?:TypedDocumentNode<([^=]*)>\s*=\s*)?gql`\s*(query|mutation|subscription)\s+(\w+)/g,
    )) {
      const [, annotation, kind, operation] = match;
      const name = generatedName(kind!, operation!);
      const wanted = `${name}, ${name}Variables`;
      if (annotation?.replace(/\s+/g, ' ').trim() === wanted) typed++;
      else
        problems.push(
          `${where}: ${operation} must be TypedDocumentNode<${wanted}>, not <${annotation ?? ''}>`,
        );
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(typed >= 15, `found only ${typed} typed operations`);
});

test('the committed operation types are what npm run codegen generates now', async () => {
  const codegen = path.join(repoRoot, 'node_modules/.bin/graphql-codegen');
  const result = await run(process.execPath, [codegen, '--config', 'schema/codegen.ts', '--check'], {
    cwd: repoRoot,
  });
  assert.equal(
    result.code,
    0,
    `desktop/src/renderer/graphql/generated/ is stale: run npm run codegen\n${result.stdout}${result.stderr}`,
  );
});
