import { userInfo } from 'node:os';
import type { AuditLine } from '../modules/audit/index.js';

/** The admin commands that change something (passwords come on standard input, never in `args`). */
const CHANGES: Record<string, readonly string[]> = {
  user: ['create', 'passwd'],
  token: ['create', 'revoke'],
};

function osUser(): string {
  try {
    return userInfo().username.slice(0, 64);
  } catch {
    return 'unknown';
  }
}

/**
 * A successful admin command that changed something, as an audit line: the operation is `cli user passwd`
 * and the like, the actor the operating-system user who ran it, `via` cli.
 */
export function cliAuditLines(command: string, args: readonly string[]): AuditLine[] {
  const [sub, ...rest] = args;
  if (!sub || !CHANGES[command]?.includes(sub)) return [];
  return [
    {
      actorId: null,
      actorName: osUser(),
      via: 'cli',
      address: 'local',
      operation: `cli ${command} ${sub}`,
      target: rest[0]?.slice(0, 255) ?? null,
      outcome: 'OK',
      details: JSON.stringify({ args: rest.slice(0, 10) }),
    },
  ];
}
