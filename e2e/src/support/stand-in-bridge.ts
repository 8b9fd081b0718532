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
 * reports the renderer sends are kept in `window.attentionReports`, the hives it saves in `window.savedHives`
 * (and listed from then on, as main's store does), the sign-ins it asks for in `window.signIns`.
 */
export function installStandInBridge(hives: readonly StandInHive[]): void {
  let entries: { id: string; name: string; url: string; notify?: boolean }[] = hives.map(
    ({ id, name, url }) => ({
      id,
      name,
      url,
    }),
  );
  const reports: unknown[] = [];
  const saved: unknown[] = [];
  Object.defineProperty(globalThis, 'attentionReports', { value: reports });
  Object.defineProperty(globalThis, 'savedHives', { value: saved });
  const signIns: unknown[] = [];
  Object.defineProperty(globalThis, 'signIns', { value: signIns });
  Object.defineProperty(globalThis, 'borgHive', {
    value: Object.freeze({
      listHives: async () => entries,
      saveHive: async (input: { id?: string; name: string; url: string; notify?: boolean }) => {
        saved.push(input);
        const hive = { ...entries.find((e) => e.id === input.id), ...input, id: input.id ?? 'new' };
        if (hive.notify !== false) delete hive.notify;
        entries = [...entries.filter((e) => e.id !== hive.id), hive];
        return hive;
      },
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
