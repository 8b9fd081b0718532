// @ts-check
// The import graph between the server's feature modules, and its cycles (there must be none).
// Usage: node eslint/module-graph.js [server/src/modules]   (exit 1 and the cycles when there are any)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { moduleOf } from './module-paths.js';

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/**
 * Every module directory and the modules it imports (type-only imports and tests included).
 * @param {string} modulesDir
 * @returns {Map<string, Map<string, string>>} module -> imported module -> one importing file
 */
export function readModuleGraph(modulesDir) {
  const root = resolve(modulesDir);
  /** @type {Map<string, Map<string, string>>} */
  const graph = new Map();
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const deps = new Map();
    graph.set(entry.name, deps);
    for (const file of readdirSync(join(root, entry.name), { recursive: true, encoding: 'utf8' })) {
      if (!/\.tsx?$/.test(file)) continue;
      const path = join(root, entry.name, file);
      for (const m of readFileSync(path, 'utf8').matchAll(IMPORT)) {
        const into = moduleOf(resolve(dirname(path), m[1] ?? m[2]));
        if (into && into.module !== entry.name && !deps.has(into.module)) deps.set(into.module, path);
      }
    }
  }
  return graph;
}

/**
 * The import cycles of a graph: each strongly connected component of two or more modules (Tarjan's
 * algorithm), its modules sorted and one cycle through the first of them as an example.
 * @param {Map<string, Map<string, string>>} graph
 * @returns {{ modules: string[], example: string[] }[]}
 */
export function findCycles(graph) {
  /** @type {Map<string, { index: number, low: number }>} */
  const seen = new Map();
  /** @type {string[]} */
  const stack = [];
  /** @type {string[][]} */
  const components = [];
  /** @param {string} v */
  const visit = (v) => {
    const node = { index: seen.size, low: seen.size };
    seen.set(v, node);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      const other = seen.get(w);
      if (!other) {
        visit(w);
        node.low = Math.min(node.low, /** @type {{ low: number }} */ (seen.get(w)).low);
      } else if (stack.includes(w)) node.low = Math.min(node.low, other.index);
    }
    if (node.low !== node.index) return;
    const component = stack.splice(stack.indexOf(v));
    if (component.length > 1) components.push(component);
  };
  for (const v of graph.keys()) if (!seen.has(v)) visit(v);
  return components.map((c) => ({ modules: [...c].sort(), example: pathThrough(graph, c) }));
}

/** The shortest cycle from the component's first module (by name) back to it, inside the component. */
function pathThrough(/** @type {Map<string, Map<string, string>>} */ graph, /** @type {string[]} */ members) {
  const inside = new Set(members);
  const start = [...members].sort()[0];
  /** @type {Map<string, string>} */
  const cameFrom = new Map();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const w of graph.get(queue[i])?.keys() ?? []) {
      if (!inside.has(w) || cameFrom.has(w)) continue;
      cameFrom.set(w, queue[i]);
      if (w === start) break;
      queue.push(w);
    }
    if (cameFrom.has(start)) break;
  }
  const path = [start];
  for (
    let v = /** @type {string} */ (cameFrom.get(start));
    v !== start;
    v = /** @type {string} */ (cameFrom.get(v))
  )
    path.unshift(v);
  return [start, ...path];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2] ?? 'server/src/modules';
  const graph = readModuleGraph(dir);
  const cycles = findCycles(graph);
  for (const { modules, example } of cycles) {
    const steps = example
      .slice(1)
      .map((to, i) => `${example[i]} -> ${to} (${graph.get(example[i])?.get(to)})`);
    console.error(`import cycle between modules ${modules.join(', ')}; for example\n  ${steps.join('\n  ')}`);
  }
  if (cycles.length) process.exit(1);
  console.log(`${graph.size} modules in ${dir}, no import cycle between them`);
}
