import type { Response } from 'express';
import type { Operation } from '../../spec/spec-index.js';
import type { ApiError } from '../errors/api-error.js';
import type { Outcome } from './outcome.js';

/**
 * The one writer of answers to spec operations: the declared media type, no body where none is
 * declared, JSON through `res.json` so that the response validator checks it on its way out.
 */
export function respond(res: Response, op: Operation, outcome: Outcome): void {
  // What was wrong goes to the log and the journal: a control's note, or the refusal's message.
  const problem = outcome.problem ?? (outcome.status >= 400 ? messageOf(outcome.body) : undefined);
  if (problem !== undefined) res.locals.problem ??= problem;
  const details = (outcome.body as { details?: unknown } | undefined)?.details;
  if (outcome.status >= 400 && Array.isArray(details)) res.locals.details ??= details;
  res.status(outcome.status);
  if (outcome.bytes) {
    // Validated when it was first sent (see response-cache.ts).
    res.set('Content-Type', 'application/json; charset=utf-8').end(outcome.bytes);
    return;
  }
  const mediaType = op.responses.get(outcome.status)?.mediaType;
  if (mediaType === null || mediaType === undefined) {
    res.end();
  } else if (mediaType === 'text/plain') {
    res.type('text/plain').send(String(outcome.body));
  } else {
    const { cacheAs } = outcome;
    if (cacheAs) keepSentJson(res, cacheAs);
    if (!checkedJson(res, outcome.body)) return;
    res.json(outcome.body);
  }
}

/** The check of this request's JSON answer, armed by the response validator's step. */
interface JsonCheck {
  check: (body: unknown) => void;
  fail: (error: unknown) => void;
}

/**
 * Arms the response validator for this request: the first JSON answer is checked (as EOV's
 * `res.json` hook did: once, and not a 5xx); an answer the spec forbids goes to `fail` instead.
 */
export function armJsonCheck(res: Response, check: JsonCheck['check'], fail: JsonCheck['fail']): void {
  res.locals.jsonCheck = { check, fail } satisfies JsonCheck;
}

/** Whether `body` may go out: true unless the armed check refused it (then it went to `fail`). */
function checkedJson(res: Response, body: unknown): boolean {
  const armed = res.locals.jsonCheck as JsonCheck | undefined;
  if (!armed) return true;
  res.locals.jsonCheck = undefined;
  if (res.statusCode >= 500) return true;
  try {
    armed.check(body);
    return true;
  } catch (error) {
    armed.fail(error);
    return false;
  }
}

/**
 * Hands the JSON text `res.json` sends (after the response validator let it through) to `keep`,
 * once it left as a 200: the bytes sent are the bytes kept, and a 2 MB list is serialised once.
 */
function keepSentJson(res: Response, keep: (json: string) => void): void {
  let sent: string | undefined;
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    if (typeof body === 'string') sent = body;
    return send(body);
  };
  res.once('finish', () => {
    if (res.statusCode === 200 && sent !== undefined) keep(sent);
  });
}

/**
 * An error outside what an operation declares (unknown routes, auth, /__admin, the mock's own
 * controls): there is no schema to check it against, so it is written as is, as JSON.
 */
export function respondUndeclared(res: Response, status: number, error: ApiError): void {
  res
    .status(status)
    .set(error.headers)
    .type('application/json')
    .end(JSON.stringify(error.toBody(status)));
}

function messageOf(body: unknown): string | undefined {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}
