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

/** Real fetch with a generous budget (the machine is shared); tests of timeouts pass their own. */
export function testContext(overrides: Partial<ChannelContext> = {}): ChannelContext {
  return { smtp: null, fetch: globalThis.fetch, timeoutMs: 10_000, ...overrides };
}
