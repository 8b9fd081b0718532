/**
 * Maintenance runs that `borg-hive agent` runs on its storage node are queued in backup_runs like any
 * run; their lease owner says so. `agent:<location id>` while QUEUED (leaseUntil: the claim's deadline),
 * `agent:<location id>:<agent id>` once an agent of that location claimed it (leaseUntil: renewed by the
 * agent). Neither has a space, so a hive never takes one for a run of its own (leaseOwnerOf).
 */

/** A queued run no agent claimed within this long ends FAILED. */
export const AGENT_CLAIM_WITHIN_MS = 10 * 60_000;
/** A claimed run whose agent has not renewed for this long ends FAILED (the agent renews every 30 s). */
export const AGENT_LEASE_MS = 2 * 60_000;

/** An agent's id: what it picks at start (a UUID), so that two agents of one location are told apart. */
export const AGENT_ID_PATTERN = /^[A-Za-z0-9-]{8,40}$/;

export function agentQueue(locationId: number): string {
  return `agent:${locationId}`;
}

export function agentClaim(locationId: number, agentId: string): string {
  return `agent:${locationId}:${agentId}`;
}

export function isAgentLease(owner: string | null): boolean {
  return owner?.startsWith('agent:') ?? false;
}

/** Why recover() ends an agent's run whose lease ran out. */
export function agentLeaseLost(owner: string, queued: boolean): string {
  const location = owner.split(':')[1] ?? '?';
  return queued
    ? `no borg-hive agent of location ${location} claimed it within ${AGENT_CLAIM_WITHIN_MS / 60_000} min ` +
        '(is the agent running, and of this version?)'
    : `the borg-hive agent running it stopped renewing its claim for ${AGENT_LEASE_MS / 60_000} min ` +
        '(stopped, or lost the hive); what borg did meanwhile is unknown';
}
