import type { RequestHandler } from 'express';
import type { ProblemDetail } from '../../domain/refusal.js';
import type { Coverage } from './coverage.js';
import { JOURNAL_TEXT_LIMITS, type Journal } from './journal.js';
import { operationOf } from '../pipeline/operation-of.js';
import type { Logger } from './logger.js';
import { clip } from '../../domain/refusal.js';

/** Status recorded for a client that went away before its answer (nginx's "client closed request"). */
export const CLIENT_CLOSED = 499;

/** Requests machines repeat every second or so: the inspector's version poll, health probes. */
const isPoll = (method: string, url: string) => method === 'GET' && /^\/__admin\/(version|health)(\?|$)/.test(url);

/**
 * On each response: one log line and one journal entry, with the problem if there was one. Also
 * for a client that closed the connection first: what it asked for is still on record.
 */
export function requestLog(logger: Logger, journal: Journal, coverage?: Coverage): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const time = new Date().toISOString();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const answered = res.writableFinished;
      const session = req.get('x-mock-session');
      const problem =
        (res.locals.problem as string | undefined) ?? (answered ? undefined : 'the client closed the connection before the answer');
      const entry = {
        time,
        session: session ? clip(session, JOURNAL_TEXT_LIMITS.session) : null,
        method: req.method,
        path: clip(req.originalUrl, JOURNAL_TEXT_LIMITS.path),
        operationId: operationOf(res)?.operationId ?? null,
        status: answered ? res.statusCode : CLIENT_CLOSED,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        problem: problem === undefined ? null : clip(problem, JOURNAL_TEXT_LIMITS.problem),
      };
      // The inspector's once-a-second poll and health probes would drown what a person did; a
      // refused one is still logged.
      if (!(isPoll(req.method, req.originalUrl) && entry.status < 400)) logger.request(entry);
      // The control plane's own traffic would drown what the journal is for.
      if (req.originalUrl.startsWith('/__admin')) return;
      const details = res.locals.details as ProblemDetail[] | undefined;
      const sent: unknown = req.body;
      journal.add({
        ...entry,
        details:
          details
            ?.slice(0, JOURNAL_TEXT_LIMITS.details)
            .map((d) => ({ path: clip(d.path, JOURNAL_TEXT_LIMITS.detail), message: clip(d.message, JOURNAL_TEXT_LIMITS.detail) })) ?? null,
        body: sent === undefined ? null : clip(JSON.stringify(sent), JOURNAL_TEXT_LIMITS.body),
      });
      coverage?.record(entry.session, operationOf(res), entry.status, sent, entry.problem, time);
    };
    // 'close' follows every answer (and a hang-up); one listener, not two, on every request. A
    // hang-up is logged after the other close listeners (the delay says what it did not do).
    res.once('close', () => (res.writableFinished ? done() : setImmediate(done)));
    next();
  };
}
