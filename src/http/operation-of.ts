import type { RequestHandler, Response } from 'express';
import type { Operation, SpecIndex } from '../spec/spec-index.js';

/** Which spec operation a request is, looked up once; every later step asks `operationOf`. */
export function resolveOperation(spec: SpecIndex): RequestHandler {
  return (req, res, next) => {
    res.locals.operation = spec.find(req.method, req.path);
    next();
  };
}

/** The request's spec operation; undefined outside the spec (unknown routes, /__admin, docs). */
export function operationOf(res: Response): Operation | undefined {
  return res.locals.operation as Operation | undefined;
}
