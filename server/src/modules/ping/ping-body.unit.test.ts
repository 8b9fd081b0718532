import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PING_BODY_LIMIT, truncatePingBody } from './ping-body.js';

const MARKER = /\n… \[(\d+) bytes omitted by Borg Hive\] …\n/;

describe('truncatePingBody', () => {
  it('keeps a body up to the limit whole', () => {
    assert.deepEqual(truncatePingBody(Buffer.from('')), { text: '', truncated: false, originalBytes: 0 });
    const exact = Buffer.from('x'.repeat(1000));
    assert.deepEqual(truncatePingBody(exact, 1000), {
      text: 'x'.repeat(1000),
      truncated: false,
      originalBytes: 1000,
    });
  });

  it('keeps start and end around a marker, within the limit', () => {
    const body = Buffer.from(`START${'.'.repeat(5000)}END`);
    const { text, truncated, originalBytes } = truncatePingBody(body, 1000);
    assert.equal(truncated, true);
    assert.equal(originalBytes, 5008);
    assert.ok(text.startsWith('START.') && text.endsWith('.END'));
    assert.ok(Buffer.byteLength(text) <= 1000);
    const [before = '', after = ''] = text.split(MARKER.exec(text)?.[0] ?? assert.fail('no marker'));
    const omitted = Number(MARKER.exec(text)?.[1]);
    assert.equal(Buffer.byteLength(before) + omitted + Buffer.byteLength(after), originalBytes);
    assert.ok(Math.abs(Buffer.byteLength(before) - Buffer.byteLength(after)) <= 1);
  });

  it('truncates one byte over the limit', () => {
    const { text, truncated } = truncatePingBody(Buffer.from('y'.repeat(1001)), 1000);
    assert.equal(truncated, true);
    assert.match(text, MARKER);
  });

  it('never splits a multi-byte character at either cut', () => {
    for (const char of ['é', '€', '🐝']) {
      for (let limit = 200; limit < 208; limit += 1) {
        const { text } = truncatePingBody(Buffer.from(char.repeat(300)), limit);
        assert.ok(!text.includes('\uFFFD'), `${char} at limit ${limit}`);
        assert.ok(Buffer.byteLength(text) <= limit, `${char} at limit ${limit}`);
        const [head = '', omitted, tail = ''] = text.split(MARKER); // [head, captured byte count, tail]
        assert.ok(
          [...head, ...tail].every((c) => c === char),
          `${char} at limit ${limit}`,
        );
        assert.equal(
          Buffer.byteLength(head) + Number(omitted) + Buffer.byteLength(tail),
          300 * Buffer.byteLength(char),
        );
      }
    }
  });

  it('replaces invalid UTF-8 bytes instead of failing', () => {
    const body = Buffer.from([0x6f, 0x6b, 0xff, 0x20, 0xe2, 0x82, 0x21]);
    assert.equal(truncatePingBody(body).text, 'ok\uFFFD \uFFFD!');
  });

  it('uses the 100 kB limit by default', () => {
    assert.equal(PING_BODY_LIMIT, 100_000);
    const log = Buffer.from('borgmatic log line\n'.repeat(20_000));
    const { text, truncated, originalBytes } = truncatePingBody(log);
    assert.equal(truncated, true);
    assert.equal(originalBytes, 380_000);
    assert.ok(Buffer.byteLength(text) <= 100_000 && Buffer.byteLength(text) > 99_900);
  });

  it('refuses a limit too small for the marker', () => {
    assert.throws(() => truncatePingBody(Buffer.from('z'.repeat(100)), 10), RangeError);
  });
});
