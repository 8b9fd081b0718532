import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/hive');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  return [];
}

it('OpenID Connect is off without an issuer', () => {
  assert.equal(loadConfig({}, '/srv/hive').oidc, null);
});

it('reads the OIDC settings with their defaults and the secret from a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bh-oidc-'));
  writeFileSync(join(dir, 'secret'), 'cl13nt-s3cret\n');
  const { oidc } = loadConfig(
    {
      BORGHIVE_OIDC_ISSUER: 'https://sso.example.com/realms/main',
      BORGHIVE_OIDC_CLIENT_ID: 'borg-hive',
      BORGHIVE_OIDC_CLIENT_SECRET_FILE: join(dir, 'secret'),
      BORGHIVE_OIDC_NAME: 'Keycloak',
    },
    '/srv/hive',
  );
  assert.deepEqual(oidc, {
    issuer: 'https://sso.example.com/realms/main',
    clientId: 'borg-hive',
    clientSecret: 'cl13nt-s3cret',
    name: 'Keycloak',
    scopes: 'openid email profile',
    usernameClaim: 'preferred_username',
    createUsers: true,
    linkByEmail: false,
    groupsClaim: null,
    adminGroup: null,
    only: false,
    clockToleranceSeconds: 30,
    allowInsecure: false,
  });
});

it('accepts http only for a provider on the loopback interface', () => {
  const local = loadConfig(
    { BORGHIVE_OIDC_ISSUER: 'http://127.0.0.1:25100', BORGHIVE_OIDC_CLIENT_ID: 'x' },
    '/srv/hive',
  );
  assert.equal(local.oidc?.allowInsecure, true);
  assert.deepEqual(
    problemsOf({ BORGHIVE_OIDC_ISSUER: 'http://sso.example.com', BORGHIVE_OIDC_CLIENT_ID: 'x' }),
    ['BORGHIVE_OIDC_ISSUER must use https (http is accepted for a provider on 127.0.0.1 only)'],
  );
});

it('an incomplete or contradictory OIDC configuration lists every problem', () => {
  assert.deepEqual(
    problemsOf({
      BORGHIVE_OIDC_ISSUER: 'sso.example.com',
      BORGHIVE_OIDC_ADMIN_GROUP: 'hive-admins',
      BORGHIVE_OIDC_SCOPES: 'email',
      BORGHIVE_OIDC_CLOCK_TOLERANCE_SECONDS: '-5',
      BORGHIVE_OIDC_ONLY: 'true',
      BORGHIVE_OIDC_CREATE_USERS: 'false',
      BORGHIVE_OIDC_LINK_BY_EMAIL: 'perhaps',
    }),
    [
      'BORGHIVE_OIDC_ISSUER must be an https URL (e.g. https://sso.example.com/realms/main), got "sso.example.com"',
      'BORGHIVE_OIDC_CLIENT_ID is required with BORGHIVE_OIDC_ISSUER',
      'BORGHIVE_OIDC_ADMIN_GROUP needs BORGHIVE_OIDC_GROUPS_CLAIM (the claim it is looked for in)',
      'BORGHIVE_OIDC_SCOPES must include openid, got "email"',
      'BORGHIVE_OIDC_CLOCK_TOLERANCE_SECONDS must be a whole number from 0 to 600, got "-5"',
      'BORGHIVE_OIDC_LINK_BY_EMAIL must be true or false, got "perhaps"',
      'BORGHIVE_OIDC_ONLY=true with BORGHIVE_OIDC_CREATE_USERS=false and no BORGHIVE_OIDC_LINK_BY_EMAIL leaves non-admins no way to sign in',
    ],
  );
});

it('OIDC settings without the issuer are a problem, not ignored', () => {
  assert.deepEqual(
    problemsOf({ BORGHIVE_OIDC_CLIENT_ID: 'x', BORGHIVE_OIDC_ONLY: 'true', BORGHIVE_PORT: 'x' }),
    [
      'BORGHIVE_PORT must be a port number 0..65535, got "x"',
      'BORGHIVE_OIDC_CLIENT_ID, BORGHIVE_OIDC_ONLY set without BORGHIVE_OIDC_ISSUER',
    ],
  );
});
