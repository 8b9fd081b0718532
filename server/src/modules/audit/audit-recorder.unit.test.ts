import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSchema, parse } from 'graphql';
import { auditLinesOf } from './audit-recorder.js';
import { redactArguments } from './redact.js';

const schema = buildSchema(`
  scalar JSONObject
  input ChannelInput { name: String! settings: JSONObject }
  type Query { me: String }
  type Mutation {
    login(username: String!, password: String!, otp: String): String
    createChannel(input: ChannelInput!): String
    deleteThing(id: ID!): Boolean
  }
`);

const call = (query: string, variables: Record<string, unknown>, errors: object[] = []) =>
  auditLinesOf({
    schema,
    document: parse(query),
    operationName: null,
    variables,
    actor: null,
    address: '192.0.2.1',
    data: null,
    errors,
  });

describe('audit lines', () => {
  it('sign-ins read as events: success, failure, a code asked for, lockout', () => {
    const q = 'mutation($p:String!){login(username:"ann",password:$p)}';
    const outcome = (errors: object[]) => call(q, { p: 'pw' }, errors)[0]!.outcome;
    assert.equal(outcome([]), 'OK');
    assert.equal(outcome([{ path: ['login'], extensions: { code: 'UNAUTHENTICATED' } }]), 'FAILED');
    assert.equal(
      outcome([{ path: ['login'], extensions: { code: 'UNAUTHENTICATED', otpRequired: true } }]),
      'OTP_REQUIRED',
    );
    assert.equal(outcome([{ path: ['login'], extensions: { code: 'FORBIDDEN' } }]), 'LOCKED');
    const [line] = call(q, { p: 'pw' });
    assert.deepEqual(
      [line!.operation, line!.target, line!.actorName, line!.details],
      ['signIn', 'ann', 'ann', '{"username":"ann","password":"[redacted]"}'],
    );
  });

  it('one line per root field, each with its own outcome; queries are not recorded', () => {
    const lines = call('mutation{a:deleteThing(id:"7") b:deleteThing(id:"8")}', {}, [
      { path: ['b'], extensions: { code: 'NOT_FOUND' } },
    ]);
    assert.deepEqual(
      lines.map((l) => [l.target, l.outcome]),
      [
        ['7', 'OK'],
        ['8', 'NOT_FOUND'],
      ],
    );
    assert.deepEqual(call('{me}', {}), []);
    const refused = call('mutation{deleteThing(id:"9")}', {}, [{ extensions: { code: 'FORBIDDEN' } }]);
    assert.equal(refused[0]!.outcome, 'FORBIDDEN', 'an error without a path belongs to every field');
  });

  it('settings keep their keys only; bearer-shaped values and secret names go at any depth', () => {
    assert.deepEqual(
      redactArguments({
        input: {
          name: 'hook',
          settings: { url: 'https://x:y@h/', token: 't' },
          nested: { newPassword: 'p', note: `bht_${'a'.repeat(43)}` },
        },
      }),
      {
        input: {
          name: 'hook',
          settings: { url: '[redacted]', token: '[redacted]' },
          nested: { newPassword: '[redacted]', note: '[redacted]' },
        },
      },
    );
  });
});
