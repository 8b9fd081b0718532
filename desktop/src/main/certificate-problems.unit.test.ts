import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CERTIFICATE_PROBLEM_TTL_MS, CertificateProblems, hiveOfUrl } from './certificate-problems.js';

const hives = [
  { id: 'a', name: 'office', url: 'https://hive.example.com' },
  { id: 'b', name: 'lab', url: 'https://lab.example.com:8443' },
];
const problem = { error: 'net::ERR_CERT_AUTHORITY_INVALID', fingerprint: 'sha256/abc', at: 1_000 };

describe('certificate problems', () => {
  it('finds the hive of a query or of its subscription socket by origin, not by prefix', () => {
    assert.equal(hiveOfUrl('https://hive.example.com/graphql', hives)?.id, 'a');
    assert.equal(hiveOfUrl('wss://lab.example.com:8443/graphql', hives)?.id, 'b');
    assert.equal(hiveOfUrl('https://lab.example.com/graphql', hives), undefined, 'another port');
    assert.equal(hiveOfUrl('https://hive.example.com.evil.net/graphql', hives), undefined);
    assert.equal(hiveOfUrl('not a url', hives), undefined);
  });

  it('records a refusal for its hive only, and ignores requests to anything else', () => {
    const problems = new CertificateProblems();
    assert.equal(problems.record('https://elsewhere.example.org/', hives, problem), null);
    assert.equal(problems.record('wss://hive.example.com/graphql', hives, problem), 'a');
    assert.deepEqual(problems.of('a', 2_000), problem);
    assert.equal(problems.of('b', 2_000), null);
  });

  it('forgets a refusal too old to explain a current outage', () => {
    const problems = new CertificateProblems();
    problems.record('https://hive.example.com/graphql', hives, problem);
    assert.deepEqual(problems.of('a', problem.at + CERTIFICATE_PROBLEM_TTL_MS), problem);
    assert.equal(problems.of('a', problem.at + CERTIFICATE_PROBLEM_TTL_MS + 1), null);
  });
});
