import type { RequestHandler } from 'express';
import { operationOf } from './operation-of.js';

/** Parse JSON only for operations that declare a body: a stray body elsewhere is ignored, not a 400. */
export function bodyParserFor(parser: RequestHandler): RequestHandler {
  return (req, res, next) => (operationOf(res)?.hasRequestBody ? parser(req, res, next) : next());
}
