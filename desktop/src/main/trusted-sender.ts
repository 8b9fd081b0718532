/**
 * True when an IPC message comes from a page of the app itself: a file:// URL inside the renderer folder.
 * `rendererRoot` is the file URL of that folder (ending in `/`). Remote pages, other local files and
 * lookalikes (`.../renderer-evil/`, `..` segments) are refused.
 */
export function isTrustedSenderUrl(senderUrl: string | undefined, rendererRoot: string): boolean {
  if (!senderUrl || !rendererRoot.startsWith('file:///') || !rendererRoot.endsWith('/')) return false;
  let url: URL;
  try {
    url = new URL(senderUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'file:' || url.host !== '') return false;
  return url.pathname.startsWith(new URL(rendererRoot).pathname);
}
