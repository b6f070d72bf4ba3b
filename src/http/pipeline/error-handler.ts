import type { ErrorRequestHandler } from 'express';
import type { SpecIndex } from '../../spec/spec-index.js';
import type { Logger } from '../logging/logger.js';
import { ApiError, ControlError } from '../errors/api-error.js';
import { operationOf } from './operation-of.js';
import { respond, respondUndeclared } from './respond.js';
import { printable } from '../logging/printable.js';
import { normalizeError } from '../errors/normalize-error.js';

/**
 * Every failure ends here and leaves as the spec's ApiError, with a status the operation
 * declares, or with no body where the declared response has none.
 */
export function errorHandler(spec: SpecIndex, logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const error = normalizeError(err);
    if (error.status >= 500) logger.error(describeFailure(req.method, req.originalUrl, error));
    res.locals.problem = error.message;
    res.locals.details = error.details;
    if (res.headersSent) {
      // Too late for a clean answer: end the response rather than leave the client hanging.
      res.end();
      return;
    }
    const op = operationOf(res);
    // A handler may have set a success media type before failing: the error decides its own.
    res.removeHeader('Content-Type');
    if (op && !(error instanceof ControlError)) {
      // Declared: out through response validation like any answer of the operation.
      const status = spec.closestDeclared(op, error.status);
      if (op.responses.has(status)) {
        res.set(error.headers);
        return respond(res, op, { status, body: error.toBody(status) });
      }
      return respondUndeclared(res, status, error);
    }
    // Outside the spec's operations (404, 405, /__admin), auth, or the mock's own controls.
    respondUndeclared(res, error.status, error);
  };
}

/**
 * Behind the error handler: if answering an error failed too, still a JSON ApiError, never
 * Express's HTML page with a stack trace.
 */
export function lastResort(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    logger.error(
      `!! ${printable(req.method)} ${printable(req.originalUrl)}: answering an error failed: ${String((err as Error)?.stack ?? err)}`,
    );
    if (res.headersSent) {
      res.end();
      return;
    }
    respondUndeclared(res, 500, new ApiError(500, 'internal error in the mock'));
  };
}

/** A 5xx is our bug: say so loudly, with every detail and the stack, in the log (never to the client). */
function describeFailure(method: string, url: string, error: ApiError): string {
  // What came from the client is escaped; only our own line breaks remain.
  const lines = [`!! ${printable(method)} ${printable(url)} failed: ${printable(error.message)}`];
  for (const d of error.details) lines.push(`   at ${printable(d.path)}: ${printable(d.message)}`);
  if (error.cause) lines.push(error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : JSON.stringify(error.cause));
  return lines.join('\n');
}
