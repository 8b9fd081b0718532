/** Healthchecks' hosted limit, and borgmatic's default `ping_body_limit`. */
export const PING_BODY_LIMIT = 100_000;

export interface PingBodyText {
  text: string;
  truncated: boolean;
  /** Size of the body as received. */
  originalBytes: number;
}

// Not fatal: invalid bytes become U+FFFD instead of failing the ping.
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * A ping body as text to store. A body over `limit` bytes keeps its start (what ran) and its end
 * (how it ended) with a marker line between them; start, marker and end together take at most
 * `limit` bytes of the body. Cuts fall between characters, never inside a multi-byte one; invalid
 * UTF-8 bytes are replaced by U+FFFD (each takes 3 bytes in the stored text).
 */
export function truncatePingBody(body: Buffer, limit = PING_BODY_LIMIT): PingBodyText {
  return truncateBodyParts({ head: body, tail: body, totalBytes: body.length }, limit);
}

/**
 * What is kept of a body read as a stream: its first bytes, its last bytes and its size. For
 * truncatePingBody both must hold `limit` bytes (or the whole body when it is shorter).
 */
export interface BodyParts {
  head: Buffer;
  tail: Buffer;
  totalBytes: number;
}

/** truncatePingBody for a body of which only the first and last `limit` bytes were kept. */
export function truncateBodyParts(parts: BodyParts, limit = PING_BODY_LIMIT): PingBodyText {
  const { head, tail, totalBytes: originalBytes } = parts;
  if (originalBytes <= limit) {
    return { text: decoder.decode(head.subarray(0, originalBytes)), truncated: false, originalBytes };
  }
  const markerBytes = Buffer.byteLength(omissionMarker(originalBytes));
  if (limit < 2 * markerBytes) throw new RangeError(`limit ${limit} leaves no room for the body`);
  const keep = limit - markerBytes;
  const headEnd = characterStart(head, Math.ceil(keep / 2), -1);
  // the tail holds the body's last tail.length bytes: index i of the body is tail[i - offset]
  const offset = originalBytes - tail.length;
  const tailStart = offset + characterStart(tail, originalBytes - Math.floor(keep / 2) - offset, 1);
  const text =
    decoder.decode(head.subarray(0, headEnd)) +
    omissionMarker(tailStart - headEnd) +
    decoder.decode(tail.subarray(tailStart - offset));
  return { text, truncated: true, originalBytes };
}

function omissionMarker(omittedBytes: number): string {
  return `\n… [${omittedBytes} bytes omitted by Borg Hive] …\n`;
}

/** Moves `index` off UTF-8 continuation bytes (10xxxxxx), at most 3 steps, so a cut there splits no character. */
function characterStart(bytes: Buffer, index: number, step: 1 | -1): number {
  let at = index;
  for (let moved = 0; moved < 3 && at > 0 && at < bytes.length && isContinuation(bytes[at]); moved += 1)
    at += step;
  return at;
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}
