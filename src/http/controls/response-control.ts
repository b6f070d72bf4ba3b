import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { ControlError } from '../api-error.js';
import { operationOf } from '../operation-of.js';
import type { Operation } from '../../spec/spec-index.js';
import { parsePrefer } from './prefer.js';

export interface FailRates {
  /** Share of every operation's requests that fail, 0 to 1. */
  all?: number;
  /** Per operationId, overriding `all`. */
  byOperation?: Record<string, number>;
}

export interface ResponseControlOptions {
  failRates: FailRates;
  /** The fault dice; seeded (--fail-seed) for a reproducible sequence. */
  random: () => number;
}

/**
 * After auth and validation, before the handler: `Prefer: code=NNN` answers with that declared
 * response, and `--fail-rate` turns a share of requests into the declared 500. Neither runs the
 * handler, so neither changes state.
 */
export function responseControl(options: ResponseControlOptions): RequestHandler {
  return (req, res, next) => {
    const op = operationOf(res);
    if (!op) return next();
    const prefer = parsePrefer(req.get('prefer'));
    if (prefer.code !== undefined) return sendPreferred(op, prefer.code, req.method, res, next);
    const rate = options.failRates.byOperation?.[op.operationId] ?? options.failRates.all ?? 0;
    if (rate > 0 && op.responses.has(500) && options.random() < rate) {
      res.locals.problem = `injected fault (--fail-rate ${rate})`;
      return sendDeclared(op, 500, res);
    }
    next();
  };
}

function sendPreferred(op: Operation, code: number, method: string, res: Response, next: (err?: unknown) => void): void {
  if (!op.responses.has(code)) {
    const declared = [...op.responses.keys()].join(', ');
    const message = `Prefer code=${code} is not declared for ${op.operationId}; declared: ${declared}`;
    return next(new ControlError(400, message, [{ path: '/headers/prefer', message: `code must be one of ${declared}` }]));
  }
  res.locals.problem = `Prefer code=${code}`;
  // A read's 200 is the real answer: it changes nothing, and it is valid by construction.
  if (code < 300 && method === 'GET') return next();
  sendDeclared(op, code, res);
}

/** The operation's declared response for `status`, built from the spec: its description, its media type. */
function sendDeclared(op: Operation, status: number, res: Response): void {
  const declared = op.responses.get(status)!;
  res.status(status);
  if (declared.mediaType === null) {
    res.end();
  } else if (declared.mediaType === 'text/plain') {
    // create/update answer the affected policy's id; nothing was created, so a fresh one.
    res.type('text/plain').send(randomUUID());
  } else {
    // Every declared JSON response of a write (and every error) is an ApiError.
    res.type('application/json').json({ message: declared.description, code: String(status), details: [] });
  }
}
