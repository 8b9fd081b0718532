import type { IncomingMessage } from 'node:http';
import { PING_BODY_LIMIT, truncateBodyParts, type BodyParts, type PingBodyText } from './ping-body.js';

/**
 * Keeps the first and the last `limit` bytes of a body arriving in chunks, and counts the rest:
 * memory stays near 2 × `limit` whatever the body's size.
 */
export class PingBodyCapture {
  readonly #head: Buffer[] = [];
  #headBytes = 0;
  readonly #tail: Buffer[] = [];
  #tailBytes = 0;
  #total = 0;

  constructor(private readonly limit = PING_BODY_LIMIT) {}

  push(chunk: Buffer): void {
    this.#total += chunk.length;
    if (this.#headBytes < this.limit) {
      const part = chunk.subarray(0, this.limit - this.#headBytes);
      this.#head.push(part);
      this.#headBytes += part.length;
    }
    const last = chunk.subarray(Math.max(0, chunk.length - this.limit));
    this.#tail.push(last);
    this.#tailBytes += last.length;
    while (this.#tail.length > 1 && this.#tailBytes - this.#tail[0]!.length >= this.limit) {
      this.#tailBytes -= this.#tail.shift()!.length;
    }
  }

  get totalBytes(): number {
    return this.#total;
  }

  /** Bytes held now (for tests): at most 2 × limit plus one chunk. */
  get heldBytes(): number {
    return this.#headBytes + this.#tailBytes;
  }

  parts(): BodyParts {
    const tail = Buffer.concat(this.#tail);
    return {
      head: Buffer.concat(this.#head),
      tail: tail.subarray(Math.max(0, tail.length - this.limit)),
      totalBytes: this.#total,
    };
  }

  text(): PingBodyText {
    return truncateBodyParts(this.parts(), this.limit);
  }
}

/** A body of more than `readLimit` bytes: reading stopped there. */
export class PingBodyTooLarge extends Error {}

/**
 * Reads a request body keeping what truncatePingBody keeps (first and last PING_BODY_LIMIT bytes);
 * rejects with PingBodyTooLarge as soon as more than `readLimit` bytes arrived (or were announced).
 */
export function readPingBody(req: IncomingMessage, readLimit: number): Promise<PingBodyText> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > readLimit) return Promise.reject(new PingBodyTooLarge());
  const capture = new PingBodyCapture();
  return new Promise<PingBodyText>((resolve, reject) => {
    const done = (err: Error | null) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', done);
      req.off('aborted', onAborted);
      if (err) {
        req.pause();
        reject(err);
      } else resolve(capture.text());
    };
    const onData = (chunk: Buffer) => {
      capture.push(chunk);
      if (capture.totalBytes > readLimit) done(new PingBodyTooLarge());
    };
    const onEnd = () => done(null);
    const onAborted = () => done(new Error('ping body aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', done);
    req.on('aborted', onAborted);
  });
}
