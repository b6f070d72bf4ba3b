import cors from 'cors';
import type { RequestHandler } from 'express';
import { ApiError } from '../errors/api-error.js';

/**
 * CORS for `origins` (`--cors-origin`), with credentials (cookies, `withCredentials`) granted to
 * exactly those origins; without origins, `fallback` (`*` for the API: browsers refuse credentials
 * with it, so none are offered; `false` for /__admin: no grant, the mock's own pages need none).
 * A preflight from an origin not granted is marked for `refusedPreflight`, which answers it.
 */
export function corsFor(origins: readonly string[] | undefined, fallback: '*' | false, exposedHeaders: string[] = []): RequestHandler {
  const grant =
    origins === undefined
      ? cors({ origin: fallback, exposedHeaders })
      : cors((req, callback) => {
          const named = origins.includes(req.headers.origin ?? '');
          callback(null, { origin: named, credentials: named, exposedHeaders });
        });
  if (origins === undefined && fallback === '*') return grant;
  const allowed = origins?.length ? origins.join(', ') : "only the mock's own pages";
  return (req, res, next) => {
    const origin = req.headers.origin;
    // A refused preflight would otherwise end as "405 OPTIONS is not allowed", which hides the cause
    // (often http://localhost:5173 vs http://127.0.0.1:5173: two origins to a browser).
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] && origin && !origins?.includes(origin)) {
      res.locals.refusedPreflight = new ApiError(403, `origin ${origin} is not allowed (--cors-origin); allowed: ${allowed}`, [
        { path: '/headers/origin', message: 'is not a --cors-origin (localhost and 127.0.0.1 are different origins)' },
      ]);
    }
    grant(req, res, next);
  };
}

/** Answers a preflight `corsFor` refused, once the request log listens (so it is a line of the log). */
export const refusedPreflight: RequestHandler = (_req, res, next) => next(res.locals.refusedPreflight as ApiError | undefined);
