/// <reference lib="dom" />
// The stand-in for the desktop preload's bridge (Electron cannot run here). It runs in the page through
// `page.addInitScript`, so it may use nothing from outside its own body.

/** A hive the stand-in lists, with the token `getToken` hands over. */
export interface StandInHive {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly token: string;
  /** What `certificateProblem` says for this hive (main refused its TLS certificate). */
  readonly certificateError?: string;
}

/**
 * Installs `window.borgHive` with every function of BorgHiveApi (desktop/src/shared/api.ts). The attention
 * reports the renderer sends are kept in `window.attentionReports`, the sign-ins it asks for in `window.signIns`.
 */
export function installStandInBridge(hives: readonly StandInHive[]): void {
  const entries = hives.map(({ id, name, url }) => ({ id, name, url }));
  const reports: unknown[] = [];
  Object.defineProperty(globalThis, 'attentionReports', { value: reports });
  const signIns: unknown[] = [];
  Object.defineProperty(globalThis, 'signIns', { value: signIns });
  Object.defineProperty(globalThis, 'borgHive', {
    value: Object.freeze({
      listHives: async () => entries,
      saveHive: async (input: { name: string; url: string }) => ({ id: entries[0]?.id ?? 'new', ...input }),
      removeHive: async () => true,
      getToken: async (id: string) => hives.find((hive) => hive.id === id)?.token ?? null,
      certificateProblem: async (id: string) => {
        const error = hives.find((hive) => hive.id === id)?.certificateError;
        return error ? { error, fingerprint: 'sha256/x', at: 1 } : null;
      },
      startAtLogin: async () => false,
      reportAttention: async (report: unknown) => void reports.push(report),
      signInWithBrowser: async (input: { name: string; url: string }) => {
        signIns.push({ via: 'browser', ...input });
        return { id: 'new', ...input };
      },
      // like a hive whose account has a second factor: the code is asked first
      signInWithPassword: async (input: { name: string; url: string; otp?: string }) => {
        signIns.push({ via: 'password', ...input });
        return input.otp === undefined
          ? { otpRequired: true, message: 'enter the code of your authenticator app (or a recovery code)' }
          : { hive: { id: 'new', name: input.name, url: input.url } };
      },
    }),
  });
}
