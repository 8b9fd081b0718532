import { SystemProcessRunner } from '../../../../adapters/process/process-runner.js';
import { createOutboundHttp } from '../../../../adapters/outbound/outbound-http.js';
import { OutboundPolicy, type OutboundAllow } from '../../../../adapters/outbound/outbound-policy.js';
import type { AlertMessage, ChannelContext } from '../channel-driver.js';

export function sampleMessage(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    state: 'STALE',
    title: 'Missing backup for laptop',
    body: 'The last backup of laptop is older than 2 days (last: 2026-03-01 10:00 UTC).',
    repository: { id: 'r-17', name: 'laptop', url: 'ssh://ab12cd34@hive.example:22/./laptop' },
    lastBackupAt: new Date('2026-03-01T10:00:00Z'),
    createdAt: new Date('2026-03-03T11:00:00Z'),
    ...overrides,
  };
}

/** Loopback only, as the test hives allow it: capture servers listen on 127.0.0.1. */
export const LOOPBACK_ALLOWED: OutboundAllow = {
  cidrs: [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' }],
  hosts: [],
};

/**
 * The hive's real outbound HTTP, allowing 127.0.0.1 (the capture servers), with a generous budget (the
 * machine is shared); tests of timeouts and of the address policy pass their own.
 */
export function testContext(overrides: Partial<ChannelContext> = {}): ChannelContext {
  return {
    smtp: null,
    http: createOutboundHttp(new OutboundPolicy(LOOPBACK_ALLOWED)),
    pushoverApiUrl: 'https://api.pushover.net',
    telegramApiUrl: 'https://api.telegram.org',
    processes: new SystemProcessRunner('/usr/local/bin:/usr/bin:/bin'),
    appriseBin: 'apprise',
    timeoutMs: 10_000,
    ...overrides,
  };
}
