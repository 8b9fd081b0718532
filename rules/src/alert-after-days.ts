/** `alertAfterDays` is a whole number of days up to this (0 or none: no stale alerts). */
export const MAX_ALERT_AFTER_DAYS = 3650;
