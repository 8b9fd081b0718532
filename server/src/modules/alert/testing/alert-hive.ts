import type { ManualClock } from '../../../adapters/clock.js';
import type { Em } from '../../../db/orm.js';
import { startTestHive, type TestHive } from '../../../test-support/hive.js';
import type { Config } from '../../../config/config.js';
import type { CheckReport } from '../alert.service.js';
import type { WorkerReport } from '../delivery-worker.js';

export const DAY = 24 * 3_600_000;
export const HOUR = 3_600_000;

/** The capture servers and SMTP sinks listen on 127.0.0.1: the hive may call it because this says so. */
export const LOOPBACK_ALLOW = { BORGHIVE_OUTBOUND_ALLOW: '127.0.0.1/32' };

/**
 * A test hive on a manual clock with no background jobs: the test runs the check and the worker itself.
 * It may call 127.0.0.1 (`LOOPBACK_ALLOW`) unless `env` says otherwise.
 */
export function startAlertHive(
  clock: ManualClock,
  opts: { dialect?: Config['database']['dialect']; env?: Record<string, string> } = {},
): Promise<TestHive> {
  return startTestHive({
    ...opts,
    env: { ...LOOPBACK_ALLOW, ...opts.env },
    overrides: { clock, jobs: false },
  });
}

export function emOf(hive: TestHive): Em {
  return hive.services.orm.em.fork() as Em;
}

/** One stale check, then the delivery worker once: what the background jobs do. */
export async function runAlerts(hive: TestHive): Promise<{ check: CheckReport; sent: WorkerReport }> {
  const check = await hive.services.alerts.check(emOf(hive));
  return { check, sent: await hive.services.deliveries.runOnce() };
}

export async function createRepository(
  hive: TestHive,
  token: string,
  name: string,
  alertAfterDays: number | null,
): Promise<{ id: string; pingUrl: string }> {
  const r = await hive.gql<{ createRepository: { id: string; pingUrl: string } }>(
    token,
    'mutation($i:CreateRepositoryInput!){createRepository(input:$i){id pingUrl}}',
    { i: { name, alertAfterDays } },
  );
  if (!r.data?.createRepository) throw new Error(`createRepository: ${JSON.stringify(r.errors)}`);
  return r.data.createRepository;
}

export async function createChannel(
  hive: TestHive,
  token: string,
  input: { name: string; kind: string; settings: Record<string, unknown>; repositoryIds?: string[] },
): Promise<string> {
  const r = await hive.gql<{ createNotificationChannel: { id: string } }>(
    token,
    'mutation($i:NotificationChannelInput!){createNotificationChannel(input:$i){id}}',
    { i: input },
  );
  if (!r.data?.createNotificationChannel)
    throw new Error(`createNotificationChannel: ${JSON.stringify(r.errors)}`);
  return r.data.createNotificationChannel.id;
}

export interface DeliveryView {
  id: string;
  state: string;
  attempts: number;
  lastError: string | null;
  title: string;
  sentAt: string | null;
  event: { type: string } | null;
}

export async function deliveryLog(
  hive: TestHive,
  token: string,
  channelId?: string,
): Promise<DeliveryView[]> {
  const r = await hive.gql<{ notificationDeliveries: DeliveryView[] }>(
    token,
    'query($c:ID){notificationDeliveries(channelId:$c, limit:100){id state attempts lastError title sentAt event{type}}}',
    { c: channelId ?? null },
  );
  if (!r.data?.notificationDeliveries) throw new Error(`notificationDeliveries: ${JSON.stringify(r.errors)}`);
  return r.data.notificationDeliveries;
}

export async function eventsOf(
  hive: TestHive,
  token: string,
  repositoryId: string,
): Promise<{ type: string; message: string; log: string | null }[]> {
  const r = await hive.gql<{
    repository: { events: { type: string; message: string; log: string | null }[] };
  }>(token, 'query($id:ID!){repository(id:$id){events(limit:100){type message log}}}', { id: repositoryId });
  if (!r.data?.repository) throw new Error(`repository: ${JSON.stringify(r.errors)}`);
  return r.data.repository.events;
}
