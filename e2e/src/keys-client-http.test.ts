import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runKeysClient } from './support/keys-client.js';
import { startStandInApi, type StandInApi } from './support/stand-in-api.js';

const user = 'h77pus3r';
const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGoCrXh0fKMB3vckvlanxY4eRuptvGZx4qTPt5Hby5Ww';
const line = `command="borg serve --umask 007 --restrict-to-repository /srv/repos/${user}/main",restrict ${key}`;

describe('borg-hive-keys speaks HTTP/1.1 by hand (over node:net)', () => {
  let api: StandInApi;

  before(async () => {
    api = await startStandInApi((request, response) => {
      const answer = JSON.stringify({ data: { authorizedKeys: [line] } });
      response.writeHead(200, { 'content-type': 'application/json' }); // no length: chunked
      const third = Math.ceil(answer.length / 3);
      response.write(answer.slice(0, third));
      if (request.path.startsWith('/broken/')) {
        setTimeout(() => response.destroy(), 20);
        return;
      }
      setTimeout(() => {
        response.write(answer.slice(third, 2 * third));
        response.end(answer.slice(2 * third));
      }, 20);
    });
  });
  after(() => api.close());

  test('a chunked answer in several pieces is put together', async () => {
    const env = { BORGHIVE_API_URL: api.url, BORGHIVE_API_TOKEN: 't' };
    const result = await runKeysClient({ args: ['--user', user], env });
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, `${line}\n`);
    assert.equal(api.requests.at(-1)?.headers.host, new URL(api.url).host);
    assert.equal(
      api.requests.at(-1)?.headers['content-length'],
      String(Buffer.byteLength(api.requests.at(-1)?.body ?? '')),
    );
  });

  test('an answer that breaks off in the middle fails closed', async () => {
    const env = { BORGHIVE_API_URL: `${api.url}/broken`, BORGHIVE_API_TOKEN: 't' };
    const result = await runKeysClient({ args: ['--user', user], env });
    assert.equal(result.stdout, '');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^borg-hive-keys: API answer (broke off|has a broken chunk)/);
  });
});
