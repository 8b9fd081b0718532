export type PingKind = 'SUCCESS' | 'START' | 'FAIL' | 'LOG';

export interface PingPath {
  kind: PingKind;
  /** Set when the client reported an exit status (`/<0-255>`). */
  exitStatus?: number;
}

const WORDS: Record<string, PingKind> = { '': 'SUCCESS', start: 'START', fail: 'FAIL', log: 'LOG' };

/**
 * What a ping reports, from the path after `<uuid>` (with or without its leading slash), following
 * Healthchecks' Pinging API: `` success, `start`, `fail`, `log` (an event only), `0`..`255` an exit
 * status (0 = success, above 0 = failure). Anything else (256 and up, other words, upper case,
 * further segments) is null: not a ping URL (Healthchecks answers `400 invalid url format`).
 */
export function parsePingPath(rest: string): PingPath | null {
  const segment = rest.startsWith('/') ? rest.slice(1) : rest;
  const word = Object.hasOwn(WORDS, segment) ? WORDS[segment] : undefined;
  if (word !== undefined) return { kind: word };
  if (!/^[0-9]{1,3}$/.test(segment)) return null;
  const exitStatus = Number(segment);
  if (exitStatus > 255) return null;
  return { kind: exitStatus === 0 ? 'SUCCESS' : 'FAIL', exitStatus };
}
