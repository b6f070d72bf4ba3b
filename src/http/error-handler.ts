import type { ErrorRequestHandler } from 'express';
import type { SpecIndex } from '../spec/spec-index.js';
import type { Logger } from './logger.js';
import { ControlError, type ApiError } from './api-error.js';
import { toApiError } from './to-api-error.js';

/**
 * Every failure ends here and leaves as the spec's ApiError, with a status the operation
 * declares, or with no body where the declared response has none.
 */
export function errorHandler(spec: SpecIndex, logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const error = toApiError(err);
    if (error.status >= 500) logger.error(describeFailure(req.method, req.originalUrl, error));
    res.locals.problem = error.message;
    if (res.headersSent) {
      // Too late for a clean answer: end the response rather than leave the client hanging.
      res.end();
      return;
    }
    const op = spec.find(req.method, req.path);
    const status = op && !(error instanceof ControlError) ? spec.closestDeclared(op, error.status) : error.status;
    res.status(status).set(error.headers);
    // A handler may have set a success media type before failing: the error decides its own.
    res.removeHeader('Content-Type');
    if (op?.responses.get(status)?.mediaType === null) {
      res.end();
      return;
    }
    res.type('application/json').json(error.toBody(status));
  };
}

/** A 5xx is our bug: say so loudly, with every detail and the stack, in the log (never to the client). */
function describeFailure(method: string, url: string, error: ApiError): string {
  const lines = [`!! ${method} ${url} failed: ${error.message}`];
  for (const d of error.details) lines.push(`   at ${d.path}: ${d.message}`);
  if (error.cause) lines.push(String((error.cause as Error).stack ?? error.cause));
  return lines.join('\n');
}
