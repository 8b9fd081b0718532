const SECOND = 1000;

/** Deliveries are retried for this long after the alert, then marked FAILED. */
export const RETRY_FOR_MS = 24 * 3600 * SECOND;
const FIRST_RETRY_MS = 30 * SECOND;
const MAX_RETRY_MS = 3600 * SECOND;

/** Wait before the attempt after `attempts` failed ones: 30 s, 1 min, 2 min, ... at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

/** The next attempt after a failure, or null when it would fall past the retry window: give up. */
export function nextAttemptAfterFailure(createdAt: Date, attempts: number, now: Date): Date | null {
  const next = new Date(now.getTime() + retryDelayMs(attempts));
  return next.getTime() - createdAt.getTime() > RETRY_FOR_MS ? null : next;
}
