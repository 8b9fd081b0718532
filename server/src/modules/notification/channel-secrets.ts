import type { SecretBox } from '../../security/secret-box.js';

/**
 * How channel settings sit in the database: the whole validated settings object sealed as one value,
 * `{ "sealed": "bh1:..." }`, so no token, password or secret URL is stored in clear. Rows written
 * before encryption (a plain settings object) are still read; `sealStoredChannelSettings` rewrites them.
 */
export class ChannelSecrets {
  constructor(private readonly box: SecretBox) {}

  seal(settings: Record<string, unknown>): Record<string, unknown> {
    return { sealed: this.box.seal(JSON.stringify(settings)) };
  }

  open(stored: Record<string, unknown>): Record<string, unknown> {
    if (!ChannelSecrets.isSealed(stored)) return stored;
    const value: unknown = JSON.parse(this.box.open(stored['sealed'] as string));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  }

  static isSealed(stored: Record<string, unknown>): boolean {
    const keys = Object.keys(stored);
    return keys.length === 1 && keys[0] === 'sealed' && typeof stored['sealed'] === 'string';
  }
}
