// @ts-check
import { dirname, posix, sep } from 'node:path';
import { moduleOf, PUBLIC_FACES, serverRootOf, TESTING_ENTRY } from '../module-paths.js';

/** @param {string} path */
const toPosix = (path) => path.split(sep).join('/');

/**
 * Each server/src/modules/<feature>/ is imported from outside only through its index.js (or testing.js,
 * its test helpers); code outside server/ (e2e/, bench/) imports the server only through
 * @borg-hive/server/testing, never server/src or server/dist files.
 * @type {import('eslint').Rule.RuleModule}
 */
export const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'import another feature module only through its index.ts; e2e and bench only through the testing entry',
    },
    schema: [],
    messages: {
      inner: "'{{spec}}' reaches into the {{module}} module: import '{{face}}' (its public face) instead",
      deep: "'{{spec}}' reaches into the server's files: import '" + TESTING_ENTRY + "' instead",
    },
  },
  create(context) {
    const file = toPosix(context.filename);
    const own = moduleOf(file)?.module ?? null;
    const ownServer = serverRootOf(file);
    /** @param {import('estree').Node} node @param {unknown} value */
    function check(node, value) {
      if (typeof value !== 'string') return;
      if (value.startsWith('@borg-hive/server/') && value !== TESTING_ENTRY) {
        context.report({ node, messageId: 'deep', data: { spec: value } });
        return;
      }
      if (!value.startsWith('.')) return;
      const target = posix.resolve(dirname(file), value);
      const server = serverRootOf(target);
      if (server !== null && server !== ownServer) {
        context.report({ node, messageId: 'deep', data: { spec: value } });
        return;
      }
      const into = moduleOf(target);
      if (!into || into.module === own || PUBLIC_FACES.has(into.rest)) return;
      const face = posix
        .relative(dirname(file), target.slice(0, -into.rest.length) + 'index.js')
        .replace(/^(?!\.)/, './');
      context.report({ node, messageId: 'inner', data: { spec: value, module: into.module, face } });
    }
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};
