// @ts-check
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findCycles, readModuleGraph } from './module-graph.js';

/** A throwaway server/src/modules tree: module -> file -> source. */
function fixture(/** @type {Record<string, Record<string, string>>} */ modules) {
  const root = mkdtempSync(join(tmpdir(), 'module-graph-'));
  const dir = join(root, 'server/src/modules');
  for (const [name, files] of Object.entries(modules))
    for (const [file, source] of Object.entries(files)) {
      mkdirSync(join(dir, name, file, '..'), { recursive: true });
      writeFileSync(join(dir, name, file), source);
    }
  return { dir, [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) };
}

describe('module import graph', () => {
  it('finds no cycle between the modules of server/src/modules', () => {
    const graph = readModuleGraph('server/src/modules');
    assert.ok(graph.size >= 12, `only ${graph.size} modules read`);
    assert.ok(graph.get('alert')?.has('notification'), 'alert imports notification');
    assert.deepEqual(findCycles(graph), []);
  });

  it('finds a cycle through type-only imports, tests and nested files', () => {
    using tree = fixture({
      a: { 'index.ts': "export { A } from './a.js';\n", 'a.ts': "import type { B } from '../b/index.js';\n" },
      b: { 'index.ts': '', 'deep/b.test.ts': "import { C } from '../../c/index.js';\n" },
      c: { 'c.ts': "const a = await import('../a/index.js');\n" },
      d: { 'd.ts': "import { A } from '../a/index.js';\n" },
    });
    assert.deepEqual(findCycles(readModuleGraph(tree.dir)), [
      { modules: ['a', 'b', 'c'], example: ['a', 'b', 'c', 'a'] },
    ]);
  });

  it('finds each of two separate cycles', () => {
    using tree = fixture({
      a: { 'a.ts': "import { B } from '../b/b.js';\n" },
      b: { 'b.ts': "import { A } from '../a/a.js';\n" },
      c: { 'c.ts': "import { D } from '../d/d.js';\n" },
      d: { 'd.ts': "export { C } from '../c/c.js';\n" },
    });
    const cycles = findCycles(readModuleGraph(tree.dir)).sort((x, y) =>
      x.modules[0].localeCompare(y.modules[0]),
    );
    assert.deepEqual(cycles, [
      { modules: ['a', 'b'], example: ['a', 'b', 'a'] },
      { modules: ['c', 'd'], example: ['c', 'd', 'c'] },
    ]);
  });
});
