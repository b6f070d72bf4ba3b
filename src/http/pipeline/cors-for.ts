import cors from 'cors';
import type { RequestHandler } from 'express';
import { ApiError } from '../errors/api-error.js';

/**
 * CORS for `origins` (`--cors-origin`), with credentials (cookies, `withCredentials`) granted to
 * exactly those origins; without origins, `fallback` (`*` for the API: browsers refuse credentials
 * with it, so none are offered; `false` for /__admin: no grant).
 */
export function corsFor(origins: readonly string[] | undefined, fallback: '*' | false, exposedHeaders: string[] = []): RequestHandler {
  if (origins === undefined) return cors({ origin: fallback, exposedHeaders });
  const grant = cors((req, callback) => {
    const named = origins.includes(req.headers.origin ?? '');
    callback(null, { origin: named, credentials: named, exposedHeaders });
  });
  return (req, res, next) => {
    const origin = req.headers.origin;
    // A refused preflight would otherwise end as "405 OPTIONS is not allowed", which hides the cause
    // (often http://localhost:5173 vs http://127.0.0.1:5173: two origins to a browser).
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] && origin && !origins.includes(origin)) {
      return next(
        new ApiError(403, `origin ${origin} is not allowed (--cors-origin); allowed: ${origins.join(', ')}`, [
          { path: '/headers/origin', message: 'is not a --cors-origin (localhost and 127.0.0.1 are different origins)' },
        ]),
      );
    }
    grant(req, res, next);
  };
}
