import assert from 'node:assert/strict';
import { mkdtemp, readFile, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { node24Path, repoRoot } from './support/paths.js';
import { run } from './support/run.js';

const script = join(repoRoot, 'sshd/install.sh');

describe('sshd/install.sh', { skip: process.getuid?.() !== 0 }, () => {
  let dir: string;
  let createdUser = false;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'borg-hive-install-'));
    createdUser = (await run('getent', ['passwd', 'borghive-keys'])).code !== 0;
  });
  after(async () => {
    if (createdUser) await run('userdel', ['borghive-keys']);
    await rm(dir, { recursive: true, force: true });
  });

  test('--dry-run changes nothing and never prints the token', async () => {
    const args = [script, '--dry-run', '--dest', join(dir, 'dry'), '--url', 'http://127.0.0.1:4000'];
    const result = await run('bash', [...args, '--token', 'secret-token-value', '--node', node24Path()]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /would write .*keys\.env/);
    assert.doesNotMatch(result.stdout, /secret-token-value/);
    await assert.rejects(stat(join(dir, 'dry')));
  });

  test('installs client, config and sshd snippet with the right owners and modes; runs again unchanged', async () => {
    const root = join(dir, 'root');
    const first = await run(
      'bash',
      [script, '--dest', root, '--url', 'http://127.0.0.1:4000', '--node', node24Path()],
      {
        env: { ...process.env, BORGHIVE_API_TOKEN: 'tok-123' },
      },
    );
    assert.equal(first.code, 0, first.stderr);

    const keysGid = Number((await run('id', ['-g', 'borghive-keys'])).stdout.trim());
    const bin = await stat(join(root, 'usr/local/bin/borg-hive-keys'));
    assert.deepEqual([bin.uid, bin.gid, bin.mode & 0o7777], [0, 0, 0o755]);
    const env = await stat(join(root, 'etc/borg-hive/keys.env'));
    assert.deepEqual([env.uid, env.gid, env.mode & 0o7777], [0, keysGid, 0o640]);
    const snippet = await stat(join(root, 'etc/ssh/sshd_config.d/borg-hive.conf'));
    assert.deepEqual([snippet.uid, snippet.mode & 0o7777], [0, 0o644]);

    const installed = await readFile(join(root, 'usr/local/bin/borg-hive-keys'), 'utf8');
    // install.sh only uses a Node whose path is root-owned and not group/other-writable all the way up
    // (a clone under /tmp is not); otherwise it picks the first trusted Node it finds.
    const shebang = installed.split('\n')[0] ?? '';
    if (await trustedPath(node24Path())) assert.equal(shebang, `#!${node24Path()}`);
    else assert.match(shebang, /^#!\/\S+\/node[^/]*$/);
    const settings = await readFile(join(root, 'etc/borg-hive/keys.env'), 'utf8');
    assert.match(settings, /^BORGHIVE_API_URL=http:\/\/127\.0\.0\.1:4000$/m);
    assert.match(settings, /^BORGHIVE_API_TOKEN=tok-123$/m);

    const again = await run('bash', [script, '--dest', root, '--node', node24Path()]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /borg-hive-keys: unchanged/);
    assert.match(again.stdout, /borg-hive\.conf: unchanged/);
    assert.equal(await readFile(join(root, 'etc/borg-hive/keys.env'), 'utf8'), settings);
  });
});

async function trustedPath(path: string): Promise<boolean> {
  for (let p = await realpath(path); ; p = dirname(p)) {
    const st = await stat(p);
    if (st.uid !== 0 || (st.mode & 0o022) !== 0) return false;
    if (p === '/') return true;
  }
}
