import type { AlertMessage } from './channel-driver.js';

/** States that report a problem (drivers with a priority raise it for these). */
export function isProblem(state: AlertMessage['state']): boolean {
  return (
    state === 'STALE' ||
    state === 'FAILED' ||
    state === 'RUN_FAILED' ||
    state === 'DELETIONS' ||
    state === 'KEY_CHANGED'
  );
}
