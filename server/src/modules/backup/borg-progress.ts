import type { BackupProgress } from './backup-run.view.js';

/** One stderr line of `borg create --progress --log-json` (or of ssh, which is plain text). */
export type BorgLine =
  { kind: 'progress'; progress: BackupProgress } | { kind: 'log'; text: string } | { kind: 'ignore' };

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Reads what borg's JSON log says; anything that is not borg JSON is a plain log line. */
export function parseBorgLine(line: string): BorgLine {
  if (!line.startsWith('{')) return { kind: 'log', text: line };
  let msg: Record<string, unknown>;
  try {
    msg = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { kind: 'log', text: line };
  }
  switch (msg['type']) {
    case 'archive_progress':
      if (msg['finished'] === true) return { kind: 'ignore' };
      return {
        kind: 'progress',
        progress: {
          originalBytes: num(msg['original_size']),
          compressedBytes: num(msg['compressed_size']),
          deduplicatedBytes: num(msg['deduplicated_size']),
          files: num(msg['nfiles']),
          currentPath: typeof msg['path'] === 'string' ? msg['path'].slice(0, 1000) : null,
        },
      };
    case 'log_message': {
      const level = typeof msg['levelname'] === 'string' ? msg['levelname'] : 'INFO';
      return { kind: 'log', text: `${level} ${typeof msg['message'] === 'string' ? msg['message'] : ''}` };
    }
    case 'progress_message':
    case 'progress_percent':
      return msg['finished'] === true || typeof msg['message'] !== 'string'
        ? { kind: 'ignore' }
        : { kind: 'log', text: msg['message'] };
    case 'file_status':
      return { kind: 'log', text: `${String(msg['status'])} ${String(msg['path'])}` };
    default:
      return { kind: 'log', text: line };
  }
}

/** The run's log: lines appended, only the last `max` characters kept. */
export class BoundedLog {
  private text = '';
  constructor(private readonly max = 64 * 1024) {}
  add(line: string): void {
    this.text += `${line}\n`;
    if (this.text.length > this.max) {
      const cut = this.text.indexOf('\n', this.text.length - this.max);
      this.text = `[...]\n${this.text.slice(cut + 1)}`;
    }
  }
  toString(): string {
    return this.text;
  }
}
