/** A repository as the after-outage check reads it. */
export interface AlertedRepository {
  readonly id: string;
  readonly name: string;
  readonly lastAlertAt: string | null;
}

/**
 * Alerts the live feed could not deliver while the hive was away: those whose last alert falls in the
 * outage (from `since`, with a second of slack for clocks that round).
 */
export function missedAlerts(rows: readonly AlertedRepository[], since: number): AlertedRepository[] {
  return rows.filter((row) => row.lastAlertAt !== null && Date.parse(row.lastAlertAt) >= since - 1000);
}
