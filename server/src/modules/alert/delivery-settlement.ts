import { nextAttemptAfterFailure } from './delivery-backoff.js';

/** What one send of an outbox row did; `final` = will never work (invalid settings, disabled channel). */
export interface SendOutcome {
  /** Attempts before this one. */
  attempts: number;
  createdAt: Date;
  outcome: 'sent' | 'retry' | 'final';
  error: string | null;
}

/** What the row becomes after the attempt: SENT, rescheduled with back-off, or FAILED for good. */
export type Settlement =
  | { result: 'sent'; attempts: number; error: null }
  | { result: 'retrying'; attempts: number; error: string; nextAttemptAt: Date }
  | { result: 'failed'; attempts: number; error: string };

const MAX_ERROR_CHARS = 1000;

/** Decides, at `now`, what an attempt makes of its row (pure: DeliveryWorker.record writes it). */
export function settleAttempt(a: SendOutcome, now: Date): Settlement {
  const attempts = a.attempts + 1;
  if (a.outcome === 'sent') return { result: 'sent', attempts, error: null };
  const next = a.outcome === 'retry' ? nextAttemptAfterFailure(a.createdAt, attempts, now) : null;
  const reason = a.error ?? 'unknown error';
  const error = (
    a.outcome === 'retry' && next === null ? `gave up after a day of retries: ${reason}` : reason
  ).slice(0, MAX_ERROR_CHARS);
  return next === null
    ? { result: 'failed', attempts, error }
    : { result: 'retrying', attempts, error, nextAttemptAt: next };
}
