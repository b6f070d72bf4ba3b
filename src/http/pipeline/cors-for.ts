import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for `origins` (`--cors-origin`), with credentials (cookies, `withCredentials`) granted to
 * exactly those origins; without origins, `fallback` (`*` for the API: browsers refuse credentials
 * with it, so none are offered; `false` for /__admin: no grant).
 */
export function corsFor(origins: readonly string[] | undefined, fallback: '*' | false, exposedHeaders: string[] = []): RequestHandler {
  if (origins === undefined) return cors({ origin: fallback, exposedHeaders });
  return cors((req, callback) => {
    const named = origins.includes(req.headers.origin ?? '');
    callback(null, { origin: named, credentials: named, exposedHeaders });
  });
}
