import type { RequestHandler } from 'express';
import { ApiError } from '../errors/api-error.js';
import type { SpecIndex } from '../../spec/spec-index.js';
import { operationOf } from './operation-of.js';

/**
 * Requests that are no spec operation stop here: an unknown path is a 404, a known path with
 * another method a 405 with `Allow`. Everything past this point is an operation of the spec.
 */
export function routeGuard(spec: SpecIndex): RequestHandler {
  return (req, res, next) => {
    if (operationOf(res)) return next();
    const allowed = spec.methodsAt(req.path);
    if (allowed.length === 0) return next(new ApiError(404, `no operation at ${req.method} ${req.path}`));
    next(
      new ApiError(405, `${req.method} is not allowed on ${req.path}; allowed: ${allowed.join(', ')}`, [], { Allow: allowed.join(', ') }),
    );
  };
}
