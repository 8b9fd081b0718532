import { pino, type Logger } from 'pino';

/** Structured JSON logs on stderr, so stdout stays free for CLI output. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'borg-hive' } }, pino.destination(2));
}
