/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Functions bench/desktop runs inside the page (serialised by Playwright: no imports, no closures).
 * Times are the page's performance.now() (0 = navigation start).
 */

/** Init script: the time each repositoryChanged message reached the page's WebSocket, with its text. */
export function watchMessages(): void {
  const arrivals: { at: number; data: string }[] = [];
  Object.defineProperty(globalThis, 'repositoryMessages', { value: arrivals });
  const Native = globalThis.WebSocket;
  globalThis.WebSocket = class extends Native {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      // Registered before graphql-ws sets onmessage: runs first, when the message is dispatched.
      this.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data === 'string' && event.data.includes('repositoryChanged'))
          arrivals.push({ at: performance.now(), data: event.data });
      });
    }
  };
}

/** Init script: `firstRow` resolves when the first overview row is in the DOM. */
export function firstRowAt(): void {
  const firstRow = new Promise<number>((resolve) => {
    const check = (): boolean => {
      if (!document.querySelector('[data-testid=repository-row]')) return false;
      resolve(performance.now());
      return true;
    };
    new MutationObserver((_records, observer) => {
      if (check()) observer.disconnect();
    }).observe(document, { subtree: true, childList: true });
  });
  Object.defineProperty(globalThis, 'firstRow', { value: firstRow });
}

/**
 * Resolves when a row shows `text`: that moment, and when the first message carrying the change
 * (its quota in bytes, from the text "of N.0 GiB") reached the socket.
 */
export function watchRowText(text: string): Promise<{ shownAt: number; messageAt: number }> {
  const bytes = Number(/of (\d+)\.0 GiB/.exec(text)?.[1] ?? 0) * 1024 ** 3;
  const messages = (globalThis as unknown as { repositoryMessages: { at: number; data: string }[] })
    .repositoryMessages;
  const already = messages.length;
  return new Promise((resolve) => {
    const rows = (): Element[] => [...document.querySelectorAll('[data-testid=repository-row]')];
    new MutationObserver((_records, observer) => {
      if (!rows().some((row) => row.textContent?.includes(text))) return;
      const shownAt = performance.now();
      observer.disconnect();
      const message = messages.slice(already).find((m) => m.data.includes(`"quotaBytes":${bytes}`));
      resolve({ shownAt, messageAt: message?.at ?? Number.NaN });
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}
