/**
 * Whether a browser page at `origin` may change the mock's state: the mock's own pages (same
 * host and port as the request) or an origin named with --cors-origin. `null` (a sandboxed frame,
 * a file) never may.
 */
export function originAllowed(origin: string, host: string | undefined, corsOrigins: readonly string[]): boolean {
  if (corsOrigins.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return host !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}
