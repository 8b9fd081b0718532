import type { Hive } from '../shared/api.js';

/** A hive's TLS certificate did not verify: what Chromium said, and the certificate it was shown. */
export interface CertificateProblem {
  readonly error: string;
  /** the presented certificate's fingerprint as Chromium gives it (sha256/…) */
  readonly fingerprint: string;
  readonly at: number;
}

/** How long a refusal explains a hive's outage: the renderer retries every few seconds, so it recurs. */
export const CERTIFICATE_PROBLEM_TTL_MS = 60_000;

const webOrigin = (url: string): string | null => {
  try {
    const parsed = new URL(url);
    // The subscription socket (wss://) and the queries (https://) reach the same hive.
    const protocol =
      parsed.protocol === 'wss:' ? 'https:' : parsed.protocol === 'ws:' ? 'http:' : parsed.protocol;
    return `${protocol}//${parsed.host}`;
  } catch {
    return null;
  }
};

/** The hive a request went to, by origin; undefined for anything else. */
export function hiveOfUrl(url: string, hives: readonly Hive[]): Hive | undefined {
  const origin = webOrigin(url);
  return origin === null ? undefined : hives.find((hive) => webOrigin(hive.url) === origin);
}

/**
 * Main's record of refused certificates per hive (Electron's `certificate-error`). The certificate is
 * never trusted here; the record only tells the renderer "wrong certificate" instead of "offline".
 */
export class CertificateProblems {
  private readonly problems = new Map<string, CertificateProblem>();

  /** Records the refusal if `url` belongs to a hive; answers that hive's id. */
  record(url: string, hives: readonly Hive[], problem: CertificateProblem): string | null {
    const hive = hiveOfUrl(url, hives);
    if (!hive) return null;
    this.problems.set(hive.id, problem);
    return hive.id;
  }

  /** The hive's latest refusal, if recent enough to explain why it is unreachable now. */
  of(hiveId: string, now: number): CertificateProblem | null {
    const problem = this.problems.get(hiveId);
    if (!problem || now - problem.at > CERTIFICATE_PROBLEM_TTL_MS) return null;
    return problem;
  }
}
