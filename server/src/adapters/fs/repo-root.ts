import { chmod, mkdir } from 'node:fs/promises';

/**
 * Creates the repo path when it is missing, 0755 whatever the umask (repo users traverse it to their
 * own directories; only the hive writes it). An existing one is left as it is: config checked it.
 */
export async function ensureRepoRoot(path: string): Promise<void> {
  const created = await mkdir(path, { recursive: true, mode: 0o755 });
  if (created !== undefined) await chmod(path, 0o755);
}
