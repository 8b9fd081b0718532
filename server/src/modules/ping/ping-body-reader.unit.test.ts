import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { truncatePingBody } from './ping-body.js';
import { PingBodyCapture } from './ping-body-reader.js';

describe('PingBodyCapture', () => {
  it('keeps what truncatePingBody keeps, whatever the chunks, holding at most twice the limit', () => {
    const limit = 1000;
    // multi-byte characters around the cuts, invalid bytes, sizes around the limit
    const sizes = [0, 1, 999, 1000, 1001, 1999, 2000, 2001, 5000, 20_000];
    for (const size of sizes) {
      const body = Buffer.concat([Buffer.from('€ü😀'.repeat(size)), randomBytes(size % 7)]).subarray(0, size);
      for (const chunkSize of [1, 7, 256, 999, 1000, 4096, 100_000]) {
        const capture = new PingBodyCapture(limit);
        let most = 0;
        for (let at = 0; at < body.length; at += chunkSize) {
          capture.push(body.subarray(at, at + chunkSize));
          most = Math.max(most, capture.heldBytes);
        }
        assert.deepEqual(capture.text(), truncatePingBody(body, limit), `size ${size}, chunks ${chunkSize}`);
        assert.ok(most <= 2 * limit + chunkSize, `held ${most} bytes of ${size} in chunks of ${chunkSize}`);
      }
    }
  });

  it('holds about 200 kB of a 10 MiB body at the default limit', () => {
    const capture = new PingBodyCapture();
    const chunk = Buffer.alloc(64 * 1024, 'y');
    for (let i = 0; i < 160; i += 1) capture.push(chunk);
    assert.equal(capture.totalBytes, 10 * 1024 * 1024);
    assert.ok(capture.heldBytes <= 200_000 + chunk.length, `${capture.heldBytes}`);
    assert.equal(capture.text().truncated, true);
  });
});
