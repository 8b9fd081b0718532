import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The node flags `npm start` gives the hive (between `node` and `server/dist/main.js` in the root
 * package.json's start script), so a benchmark runs the hive exactly as production does.
 */
export async function hiveNodeArgs(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const start = manifest.scripts['start'] ?? '';
  const flags = /\bnode\s+(.*?)\s*server\/dist\/main\.js\b/.exec(start);
  if (!flags) throw new Error(`cannot find "node … server/dist/main.js" in the start script: ${start}`);
  return flags[1]!.split(/\s+/).filter((flag) => flag !== '');
}
