import type { RequestHandler, Response } from 'express';
import type { Operation, SpecIndex } from '../../spec/spec-index.js';

/**
 * Which spec operation a request is, looked up once; every later step asks `operationOf`. A spec
 * operation goes on through `steps` (one composed handler), anything else to the next layer.
 */
export function resolveOperation(spec: SpecIndex, steps: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const op = spec.find(req.method, req.path);
    res.locals.operation = op;
    if (op) return steps(req, res, next);
    next();
  };
}

/** The request's spec operation; undefined outside the spec (unknown routes, /__admin, docs). */
export function operationOf(res: Response): Operation | undefined {
  return res.locals.operation as Operation | undefined;
}
