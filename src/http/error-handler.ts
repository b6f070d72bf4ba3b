import type { ErrorRequestHandler } from 'express';
import type { SpecIndex } from '../spec/spec-index.js';
import type { Logger } from './logger.js';
import { toApiError } from './to-api-error.js';

/**
 * Every failure ends here and leaves as the spec's ApiError, with a status the operation
 * declares, or with no body where the declared response has none.
 */
export function errorHandler(spec: SpecIndex, logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const error = toApiError(err);
    if (error.status >= 500) logger.error(`${req.method} ${req.originalUrl}: ${error.message}${error.cause ? `\n${String((error.cause as Error).stack ?? error.cause)}` : ''}`);
    res.locals.problem = error.message;
    if (res.headersSent) {
      // Too late for a clean answer: end the response rather than leave the client hanging.
      res.end();
      return;
    }
    const op = spec.find(req.method, req.path);
    const status = op ? spec.closestDeclared(op, error.status) : error.status;
    res.status(status).set(error.headers);
    if (op?.responses.get(status)?.mediaType === null) {
      res.end();
      return;
    }
    res.json(error.toBody(status));
  };
}
