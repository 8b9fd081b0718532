import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';
import { startTestHive } from '../test-support/hive.js';

const run = promisify(execFile);
const main = resolve(import.meta.dirname, '../main.js');

it('borg-hive serve refuses to start on a wrong WebAuthn setting, listing each problem', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bh-webauthn-'));
  try {
    const failed = await run(process.execPath, [main, 'serve'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        BORGHIVE_DATA_DIR: dir,
        BORGHIVE_DATABASE_URL: `file:${join(dir, 'hive.db')}`,
        BORGHIVE_PORT: '0',
        BORGHIVE_PUBLIC_URL: 'https://hive.example.com',
        BORGHIVE_WEBAUTHN_RP_ID: 'other.org',
        BORGHIVE_WEBAUTHN_ORIGINS: 'http://sso.other.org',
      },
      timeout: 60_000,
    }).then(
      () => null,
      (err: { code?: number; stderr?: string }) => err,
    );
    assert.ok(failed, 'the hive did not start');
    assert.equal(failed.code, 1);
    assert.deepEqual((failed.stderr ?? '').trim().split('\n'), [
      'invalid configuration:',
      '  - BORGHIVE_WEBAUTHN_RP_ID "other.org" is neither the host of BORGHIVE_PUBLIC_URL ("hive.example.com") nor a parent domain of it: browsers would refuse passkeys in this hive\'s console (set it to "hive.example.com" or a parent domain)',
      '  - BORGHIVE_WEBAUTHN_ORIGINS: "http://sso.other.org" is not an https origin (or http://localhost[:port])',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a plain-http hive starts; each passkey step says why passkeys are off, passwords still work', async () => {
  const hive = await startTestHive({ env: { BORGHIVE_PUBLIC_URL: 'http://backup.lan:8080' } });
  try {
    for (const op of ['mutation{startPasskeyRegistration}', 'mutation{passkeySignInOptions}']) {
      const r = await hive.gql(op.includes('Registration') ? hive.adminToken : null, op);
      assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', op);
      assert.match(
        r.errors?.[0]?.message ?? '',
        /passkeys need https: this hive's public URL is http:\/\/backup\.lan:8080/,
      );
    }
    assert.ok(await hive.login('admin', 'admin-password-1'));
  } finally {
    await hive.dispose();
  }
});
