import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import { eventually } from '../../test-support/eventually.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { type CredentialJson, SoftAuthenticator } from '../../test-support/soft-authenticator.js';
import { connectWs } from '../../test-support/ws-client.js';
import { AuditEntry } from '../audit/index.js';
import { Passkey } from './passkey.entity.js';

const RP_ID = 'hive.example.test';
const ORIGIN = 'https://hive.example.test';
const LOGIN =
  'mutation($u:String!,$p:String!,$o:String,$k:JSONObject){login(username:$u,password:$p,otp:$o,passkey:$k){token}}';
const PASSWORDLESS = 'mutation($r:JSONObject!){loginWithPasskey(response:$r){token user{username}}}';

type Options = { challenge: string; allowCredentials?: { id: string }[]; userVerification?: string };

describe('passkeys (WebAuthn): registration, second factor, password-less, one-time challenges', () => {
  let hive: TestHive;
  const clock = new ManualClock(new Date(Date.UTC(2026, 11, 5, 12)));
  let token: string;
  const key = new SoftAuthenticator(RP_ID, ORIGIN);

  const registrationOptions = async (t: string) =>
    (await hive.gql<{ startPasskeyRegistration: Options }>(t, 'mutation{startPasskeyRegistration}')).data!
      .startPasskeyRegistration;
  const finish = (t: string, name: string, response: CredentialJson) =>
    hive.gql<{ finishPasskeyRegistration: { id: string; name: string } }>(
      t,
      'mutation($n:String!,$r:JSONObject!){finishPasskeyRegistration(name:$n,response:$r){id name}}',
      { n: name, r: response },
    );
  const signInOptions = async () =>
    (await hive.gql<{ passkeySignInOptions: Options }>(null, 'mutation{passkeySignInOptions}')).data!
      .passkeySignInOptions;
  const passwordless = (response: CredentialJson) =>
    hive.gql<{ loginWithPasskey: { token: string; user: { username: string } } }>(null, PASSWORDLESS, {
      r: response,
    });
  const login = (k: CredentialJson | null = null) =>
    hive.gql<{ login: { token: string } }>(null, LOGIN, { u: 'pia', p: 'pia-password', o: null, k });

  before(async () => {
    hive = await startTestHive({
      overrides: { clock },
      env: { BORGHIVE_WEBAUTHN_RP_ID: RP_ID, BORGHIVE_WEBAUTHN_ORIGINS: ORIGIN },
    });
    token = (await hive.newUser('pia')).token;
  });
  after(() => hive.dispose());

  it('registers a passkey from a session: the options bind the RP, an answer for another RP is refused, the other sessions end', async () => {
    const other = await hive.login('pia', 'pia-password');
    const options = await registrationOptions(token);
    assert.equal((options as unknown as { rp: { id: string } }).rp.id, RP_ID);
    const elsewhere = new SoftAuthenticator('evil.example.test', 'https://evil.example.test');
    const refused = await finish(token, 'phone', elsewhere.register(options));
    assert.equal(refused.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    // that answer used the challenge up: the right one to the same challenge is refused too
    const late = await finish(token, 'laptop', key.register(options));
    assert.equal(late.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');

    const ok = await finish(token, 'laptop', key.register(await registrationOptions(token)));
    assert.equal(ok.data?.finishPasskeyRegistration.name, 'laptop');
    const rows = await hive.services.orm.em.fork().find(Passkey, { user: { username: 'pia' } });
    assert.deepEqual(
      rows.map((r) => r.credentialId),
      [key.id],
    );
    assert.equal((await hive.gql(other, '{me{id}}')).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.ok((await hive.gql(token, '{me{id}}')).data, 'the enrolling session stays');
    const list = await hive.gql<{ passkeys: { name: string; deviceType: string }[] }>(
      token,
      '{passkeys{name deviceType}}',
    );
    assert.deepEqual(list.data?.passkeys, [{ name: 'laptop', deviceType: 'singleDevice' }]);
  });

  it('as a second factor: the password alone answers otpRequired with a challenge for her passkeys; the answer signs in once', async () => {
    const asked = await login();
    const ext = asked.errors?.[0]?.extensions as {
      otpRequired: boolean;
      totp: boolean;
      passkeyOptions: Options;
    };
    assert.equal(ext.otpRequired, true);
    assert.equal(ext.totp, false);
    assert.deepEqual(
      ext.passkeyOptions.allowCredentials?.map((c) => c.id),
      [key.id],
    );
    const answer = key.assert(ext.passkeyOptions);
    const ok = await login(answer);
    assert.ok(ok.data?.login.token, JSON.stringify(ok.errors));
    // replay of the same answer: its challenge is gone
    const replay = await login(answer);
    assert.equal(replay.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    // a second-factor challenge does not serve a password-less sign-in
    const opts = (await login()).errors?.[0]?.extensions as unknown as { passkeyOptions: Options };
    const cross = await passwordless(key.assert(opts.passkeyOptions));
    assert.equal(cross.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  it('password-less: a verified discoverable passkey signs in; replay, wrong origin, no user verification, a stale counter and an expired challenge are refused', async () => {
    const opts = await signInOptions();
    assert.equal(opts.userVerification, 'required');
    assert.deepEqual(opts.allowCredentials ?? [], []);
    const answer = key.assert(opts);
    const ok = await passwordless(answer);
    assert.equal(ok.data?.loginWithPasskey.user.username, 'pia', JSON.stringify(ok.errors));
    assert.ok((await hive.gql(ok.data!.loginWithPasskey.token, '{me{id}}')).data);

    const replay = await passwordless(answer);
    assert.equal(replay.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', 'a challenge answers once');

    const phished = await passwordless(
      key.assert(await signInOptions(), { origin: 'https://hive.example.test.evil.example' }),
    );
    assert.equal(phished.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const unverified = await passwordless(key.assert(await signInOptions(), { userVerified: false }));
    assert.equal(unverified.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const stored = await hive.services.orm.em.fork().findOneOrFail(Passkey, { credentialId: key.id });
    const cloned = await passwordless(key.assert(await signInOptions(), { counter: stored.counter }));
    assert.equal(cloned.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', 'a counter that did not grow');

    const expiring = await signInOptions();
    clock.advance(5 * 60_000 + 1);
    const expired = await passwordless(key.assert(expiring, { counter: stored.counter + 10 }));
    assert.equal(expired.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const fresh = await passwordless(key.assert(await signInOptions()));
    assert.ok(fresh.data?.loginWithPasskey.token, 'the passkey itself still works');

    const rows = await hive.services.orm.em
      .fork()
      .find(AuditEntry, { operation: 'signIn', target: 'pia' }, { orderBy: { id: 'asc' } });
    const pia = await hive.gql<{ me: { id: string } }>(token, '{me{id}}');
    assert.ok(rows.some((r) => r.outcome === 'OK' && r.actorId === Number(pia.data!.me.id)));
    assert.ok(rows.some((r) => r.outcome === 'FAILED' && r.actorId === Number(pia.data!.me.id)));
  });

  it('rename and delete are hers only; a deleted passkey signs nobody in, at once', async () => {
    const mine = await hive.gql<{ passkeys: { id: string }[] }>(token, '{passkeys{id}}');
    const id = mine.data!.passkeys[0]!.id;
    const other = await hive.newUser('otto');
    const theirs = await hive.gql(other.token, 'mutation($i:ID!){deletePasskey(id:$i)}', { i: id });
    assert.equal(theirs.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    const renamed = await hive.gql<{ renamePasskey: { name: string } }>(
      token,
      'mutation($i:ID!){renamePasskey(id:$i,name:"old laptop"){name}}',
      { i: id },
    );
    assert.equal(renamed.data?.renamePasskey.name, 'old laptop');
    // a session signed in elsewhere with the passkey as second factor, with its socket open
    const asked = (await login()).errors?.[0]?.extensions as unknown as { passkeyOptions: Options };
    const elsewhere = (await login(key.assert(asked.passkeyOptions))).data!.login.token;
    const socket = await connectWs(hive.url, elsewhere);
    const pending = await signInOptions();
    assert.equal(
      (await hive.gql(token, 'mutation($i:ID!){deletePasskey(id:$i)}', { i: id })).data?.['deletePasskey'],
      true,
    );
    // deleting it ends her other sessions and closes their sockets; this one stays
    assert.equal((await hive.gql(elsewhere, '{me{id}}')).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.ok((await hive.gql(token, '{me{id}}')).data?.['me'], 'the deleting session stays');
    await eventually("the other session's socket to close", async () => socket.closed());
    await socket.dispose();
    const gone = await passwordless(key.assert(pending));
    assert.equal(gone.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    // with no second factor left, the password alone signs in again
    assert.ok((await login()).data?.login.token);
  });

  it('refuses an answer that is not a WebAuthn credential, and a session-less caller', async () => {
    const junk = await hive.gql(token, 'mutation{finishPasskeyRegistration(name:"x",response:{id:1})}{id}}');
    assert.ok(junk.errors?.length);
    const bad = await hive.gql(
      token,
      'mutation($r:JSONObject!){finishPasskeyRegistration(name:"x",response:$r){id}}',
      { r: { id: 'x' } },
    );
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const anon = await hive.gql(null, 'mutation{startPasskeyRegistration}');
    assert.equal(anon.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  // last: it locks this address out of passkeySignInOptions
  it('passkeySignInOptions is throttled per address like passwords: 30, then locked for 15 minutes', async () => {
    const ask = () => hive.gql<{ passkeySignInOptions: Options }>(null, 'mutation{passkeySignInOptions}');
    let granted = 0;
    let refused: Awaited<ReturnType<typeof ask>> | null = null;
    for (let i = 0; i < 40 && !refused; i++) {
      const r = await ask();
      if (r.data?.passkeySignInOptions.challenge) granted++;
      else refused = r;
    }
    assert.ok(granted >= 1 && granted <= 30, `granted ${granted}`);
    const error = refused?.errors?.[0];
    assert.equal(error?.extensions?.code, 'RATE_LIMITED', JSON.stringify(refused));
    assert.match(error?.message ?? '', /too many sign-in attempts from your address; try again in 15 minute/);
    assert.equal((error?.extensions as { retryAfterSeconds?: number }).retryAfterSeconds, 900);
    assert.equal((await ask()).errors?.[0]?.extensions?.code, 'RATE_LIMITED', 'still locked');
    clock.advance(15 * 60_000 + 1_000);
    assert.ok((await ask()).data?.passkeySignInOptions.challenge, 'after the lock, one more');
    assert.equal((await ask()).errors?.[0]?.extensions?.code, 'RATE_LIMITED', 'and locked again');
  });
});
