import type { Request, RequestHandler } from 'express';
import type { SessionRegistry } from '../store/session-registry.js';
import type { SpecIndex } from '../spec/spec-index.js';

export interface CachedListOptions {
  sessions: SessionRegistry;
  /** The security handler of the spec's bearer schemes, or false with auth off. */
  auth: ((req: Request) => true) | false;
  /** --fail-rate for policy_list: with any, every request must roll the dice in the full pipeline. */
  failRate: number;
  /** --delay: with one, every request must wait in the full pipeline. */
  delayed: boolean;
}

/**
 * `GET /v2/policy/list`, answered with the bytes that the full pipeline already sent, as a 200
 * that passed response validation, for this store version (PolicyService.sentList), when the full
 * pipeline could only answer the same again:
 *
 * - the list declares no parameters and no body, so the validator checks nothing of the request
 *   but its token; the token is checked here by the same handler (`Token` is an http bearer scheme,
 *   and a header the handler accepts passes the validator's own bearer test too);
 * - nothing that would change the answer is asked for: no `Prefer`, no query string (left to the
 *   validator), no `X-Mock-Session` (the default store only), no --fail-rate or --delay.
 *
 * Anything else, and any refusal (a bad token), goes the full way and gets its answer there.
 * Mounted after CORS, the log and the route guard, before the validator.
 */
export function cachedList(spec: SpecIndex, options: CachedListOptions): RequestHandler {
  const list = spec.operations.find((op) => op.operationId === 'policy_list');
  if (!list || options.failRate > 0 || options.delayed) return (_req, _res, next) => next();
  return (req, res, next) => {
    if (req.method !== 'GET' || !list.matcher.test(req.path) || req.url.includes('?')) return next();
    const { headers } = req;
    if (headers.prefer !== undefined || headers['x-mock-session'] !== undefined) return next();
    const sent = options.sessions.defaultContext.service.sentList();
    if (sent === undefined) return next();
    if (options.auth) {
      try {
        options.auth(req);
      } catch {
        return next();
      }
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', sent.length);
    res.end(sent);
  };
}
