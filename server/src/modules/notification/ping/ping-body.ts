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
  const originalBytes = body.length;
  if (originalBytes <= limit) return { text: decoder.decode(body), truncated: false, originalBytes };

  const markerBytes = Buffer.byteLength(omissionMarker(originalBytes));
  if (limit < 2 * markerBytes) throw new RangeError(`limit ${limit} leaves no room for the body`);
  const keep = limit - markerBytes;
  const headEnd = characterStart(body, Math.ceil(keep / 2), -1);
  const tailStart = characterStart(body, originalBytes - Math.floor(keep / 2), 1);
  const text =
    decoder.decode(body.subarray(0, headEnd)) +
    omissionMarker(tailStart - headEnd) +
    decoder.decode(body.subarray(tailStart));
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
