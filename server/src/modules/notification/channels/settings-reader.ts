import { ChannelSettingsError, REDACTED, type FieldError } from './channel-driver.js';
import { holdsPlaceholder } from './url-redaction.js';

/**
 * Reads untrusted channel settings field by field, collecting every problem instead of stopping at
 * the first. Fields not in `allowed` are rejected, so typos never pass silently.
 */
export class SettingsReader {
  private readonly errors: FieldError[] = [];
  private readonly record: Record<string, unknown>;

  constructor(raw: unknown, allowed: readonly string[]) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      this.record = {};
      this.fail('settings', 'must be a JSON object');
      return;
    }
    this.record = raw as Record<string, unknown>;
    for (const key of Object.keys(this.record)) {
      if (!allowed.includes(key)) this.fail(key, `unknown field (allowed: ${allowed.join(', ')})`);
    }
  }

  /** The raw value; `undefined` when absent or null. */
  value(field: string): unknown {
    const value = this.record[field];
    return value === null ? undefined : value;
  }

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  /**
   * A required, non-empty trimmed string; `check` returns a problem or null. Returns '' when invalid
   * (the problem is recorded and `finish` throws, so that placeholder never leaves the reader).
   */
  string(field: string, check?: (value: string) => string | null): string {
    const raw = this.value(field);
    if (raw === undefined || raw === '') {
      this.fail(field, 'is required');
      return '';
    }
    return this.optionalString(field, check) ?? '';
  }

  /** An optional non-empty trimmed string; absent, null and '' all mean "not set". */
  optionalString(field: string, check?: (value: string) => string | null): string | undefined {
    const raw = this.value(field);
    if (raw === undefined || raw === '') return undefined;
    if (typeof raw !== 'string') {
      this.fail(field, 'must be a string');
      return undefined;
    }
    const value = raw.trim();
    const problem =
      value === ''
        ? 'must not be blank'
        : holdsPlaceholder(value)
          ? `holds the placeholder ${REDACTED}: send the real value`
          : (check?.(value) ?? null);
    if (problem !== null) {
      this.fail(field, problem);
      return undefined;
    }
    return value;
  }

  /** An optional integer within `min..max`. */
  integer(field: string, min: number, max: number): number | undefined {
    const raw = this.value(field);
    if (raw === undefined) return undefined;
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
      this.fail(field, `must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return raw;
  }

  /** An optional value from a fixed list. */
  oneOf<T extends string>(field: string, choices: readonly T[]): T | undefined {
    const raw = this.value(field);
    if (raw === undefined) return undefined;
    const choice = choices.find((c) => c === raw);
    if (choice === undefined) this.fail(field, `must be one of ${choices.join(', ')}`);
    return choice;
  }

  /** Returns `settings`, or throws a `ChannelSettingsError` listing every problem found. */
  finish<S>(settings: S): S {
    if (this.errors.length > 0) throw new ChannelSettingsError(this.errors);
    return settings;
  }
}

/** Null when `value` is an absolute http(s) URL without a fragment, else the problem. */
export function httpUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.hash !== '') return 'must not contain a #fragment';
  return null;
}
