import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/hive');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems.filter((p) => p.includes('WEBAUTHN'));
  }
  return [];
}

it('defaults: the public URL’s host and origin; a hive reached by IP offers passkeys on localhost', () => {
  assert.deepEqual(loadConfig({ BORGHIVE_PUBLIC_URL: 'https://hive.example.com' }, '/srv/hive').webauthn, {
    rpId: 'hive.example.com',
    rpName: 'Borg Hive',
    origins: ['https://hive.example.com'],
    off: null,
  });
  assert.deepEqual(loadConfig({ BORGHIVE_PUBLIC_URL: 'http://127.0.0.1:4000' }, '/srv/hive').webauthn, {
    rpId: 'localhost',
    rpName: 'Borg Hive',
    origins: ['http://localhost:4000'],
    off: null,
  });
});

it('a plain-http hive on a LAN name starts, with passkeys off and the reason', () => {
  const { webauthn } = loadConfig({ BORGHIVE_PUBLIC_URL: 'http://backup.lan:8080' }, '/srv/hive');
  assert.deepEqual(webauthn.origins, []);
  assert.match(
    webauthn.off ?? '',
    /passkeys need https: this hive's public URL is http:\/\/backup\.lan:8080/,
  );
});

it('a parent domain as RP ID with origins on subdomains is accepted', () => {
  const { webauthn } = loadConfig(
    {
      BORGHIVE_PUBLIC_URL: 'https://hive.example.com',
      BORGHIVE_WEBAUTHN_RP_ID: 'Example.com',
      BORGHIVE_WEBAUTHN_ORIGINS: 'https://hive.example.com, https://backup.example.com:8443',
      BORGHIVE_WEBAUTHN_RP_NAME: 'Example backups',
    },
    '/srv/hive',
  );
  assert.deepEqual(webauthn, {
    rpId: 'example.com',
    rpName: 'Example backups',
    origins: ['https://hive.example.com', 'https://backup.example.com:8443'],
    off: null,
  });
});

it('every wrong setting stops start-up, each named with what is wrong', () => {
  const base = { BORGHIVE_PUBLIC_URL: 'https://hive.example.com' };
  assert.deepEqual(problemsOf({ ...base, BORGHIVE_WEBAUTHN_RP_ID: '10.0.0.5' }), [
    'BORGHIVE_WEBAUTHN_RP_ID must be a domain name (browsers refuse IP addresses), got "10.0.0.5"',
  ]);
  assert.match(
    problemsOf({ ...base, BORGHIVE_WEBAUTHN_RP_ID: 'hive_example!' })[0] ?? '',
    /must be a domain name/,
  );
  assert.deepEqual(
    problemsOf({
      ...base,
      BORGHIVE_WEBAUTHN_RP_ID: 'other.org',
      BORGHIVE_WEBAUTHN_ORIGINS: 'https://sso.other.org',
    }),
    [
      'BORGHIVE_WEBAUTHN_RP_ID "other.org" is neither the host of BORGHIVE_PUBLIC_URL ("hive.example.com") nor a parent domain of it: browsers would refuse passkeys in this hive\'s console (set it to "hive.example.com" or a parent domain)',
    ],
  );
  assert.deepEqual(problemsOf({ ...base, BORGHIVE_WEBAUTHN_ORIGINS: 'http://hive.example.com' }), [
    'BORGHIVE_WEBAUTHN_ORIGINS: "http://hive.example.com" is not an https origin (or http://localhost[:port])',
  ]);
  assert.deepEqual(problemsOf({ ...base, BORGHIVE_WEBAUTHN_ORIGINS: 'https://hive.example.com/console' }), [
    'BORGHIVE_WEBAUTHN_ORIGINS: "https://hive.example.com/console" is not an https origin (or http://localhost[:port])',
  ]);
  assert.deepEqual(problemsOf({ ...base, BORGHIVE_WEBAUTHN_ORIGINS: 'https://evil.example.org' }), [
    'BORGHIVE_WEBAUTHN_ORIGINS: "https://evil.example.org" is not on BORGHIVE_WEBAUTHN_RP_ID "hive.example.com" (nor a subdomain of it)',
  ]);
  assert.deepEqual(problemsOf({ ...base, BORGHIVE_WEBAUTHN_ORIGINS: ' ' }), [
    'BORGHIVE_WEBAUTHN_ORIGINS: name at least one origin',
  ]);
  assert.deepEqual(problemsOf({ ...base, BORGHIVE_WEBAUTHN_RP_NAME: 'x'.repeat(65) }), [
    'BORGHIVE_WEBAUTHN_RP_NAME must be 1 to 64 characters, got 65',
  ]);
  // several at once: all listed
  assert.equal(
    problemsOf({ ...base, BORGHIVE_WEBAUTHN_RP_ID: '10.0.0.5', BORGHIVE_WEBAUTHN_RP_NAME: 'x'.repeat(70) })
      .length,
    2,
  );
});
