import type { AttentionReport, Hive } from '../shared/api.js';
import { NotificationPolicy, trayModel, type Notification, type TrayModel } from './attention.js';

/**
 * Every hive's latest attention report, turned into the tray's model and the notifications to show now
 * (the decisions are attention.ts's; this only keeps the reports together).
 */
export class AttentionHub {
  private readonly reports = new Map<string, AttentionReport>();
  /** The hives as of the latest report: their `notify` switch decides (off: the tray only). */
  private hives: readonly Hive[] = [];
  private readonly policy = new NotificationPolicy(
    (hiveId) => this.hives.find((h) => h.id === hiveId)?.notify !== false,
  );

  /** A report from the renderer about one of `hives` (a report about another hive is ignored). */
  apply(report: AttentionReport, hives: readonly Hive[]): { tray: TrayModel; notifications: Notification[] } {
    this.hives = hives;
    const hive = hives.find((h) => h.id === report.hiveId);
    if (hive) this.reports.set(hive.id, report);
    for (const id of this.reports.keys()) if (!hives.some((h) => h.id === id)) this.reports.delete(id);
    const watched = (r: AttentionReport, name: string) =>
      r.repositories.map((repository) => ({ ...repository, hiveId: r.hiveId, hiveName: name }));
    // An offline hive's last known problems stay listed; it raises no new notifications.
    const notifications =
      hive && report.online ? this.policy.update(hive.id, watched(report, hive.name)) : [];
    const all = hives.flatMap((h) => {
      const r = this.reports.get(h.id);
      return r ? watched(r, h.name) : [];
    });
    const offline = hives.filter((h) => this.reports.get(h.id)?.online === false);
    return { tray: trayModel(all, offline), notifications };
  }
}
