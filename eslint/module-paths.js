// @ts-check
// Where a path sits in the server's layout: which feature module, which built or source tree.

/** Files another module (or e2e/bench) may import: a module's public face and its test helpers. */
export const PUBLIC_FACES = new Set(['index.js', 'testing.js']);

/** The testing entry of the server package: the only server import e2e/ and bench/ may use. */
export const TESTING_ENTRY = '@borg-hive/server/testing';

/**
 * @param {string} path an absolute path with / separators
 * @returns {{ module: string, rest: string } | null} the feature module under server/src/modules/ and
 *   the file's path inside it
 */
export function moduleOf(path) {
  const m = /\/server\/src\/modules\/([^/]+)\/(.+)$/.exec(path);
  return m ? { module: m[1], rest: m[2] } : null;
}

/**
 * @param {string} path an absolute path with / separators
 * @returns {string | null} the directory holding server/ when path is inside server/src or server/dist
 */
export function serverRootOf(path) {
  const m = /^(.*)\/server\/(?:src|dist)\//.exec(path);
  return m ? m[1] : null;
}
