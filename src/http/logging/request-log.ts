import type { Request, RequestHandler } from 'express';
import type { ProblemDetail } from '../../domain/refusal.js';
import type { Coverage } from './coverage.js';
import { JOURNAL_TEXT_LIMITS, journalEntry, type Journal, type JournalRecord } from './journal.js';
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
    // Numbers now, text when read (journal.ts): a Date's ISO string per request cost more than the rest.
    const startedMs = Date.now();
    const started = performance.now();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const answered = res.writableFinished;
      const session = req.get('x-mock-session');
      const problem =
        (res.locals.problem as string | undefined) ?? (answered ? undefined : 'the client closed the connection before the answer');
      const details = res.locals.details as ProblemDetail[] | undefined;
      const record: JournalRecord = {
        startedMs,
        session: session ? clip(session, JOURNAL_TEXT_LIMITS.session) : null,
        method: req.method,
        path: clip(req.originalUrl, JOURNAL_TEXT_LIMITS.path),
        operationId: operationOf(res)?.operationId ?? null,
        status: answered ? res.statusCode : CLIENT_CLOSED,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        problem: problem === undefined ? null : clip(problem, JOURNAL_TEXT_LIMITS.problem),
        details: details ? details.slice(0, JOURNAL_TEXT_LIMITS.details) : null,
        body: sentBody(req),
      };
      // The inspector's once-a-second poll and health probes would drown what a person did; a
      // refused one is still logged. A quiet logger gets no entry built.
      if (logger.requests !== false && !(isPoll(req.method, req.originalUrl) && record.status < 400))
        logger.request(journalEntry(record, false));
      // The control plane's own traffic would drown what the journal is for.
      if (req.originalUrl.startsWith('/__admin')) return;
      journal.add(record);
      coverage?.record(record.session, operationOf(res), record.status, req.body, record.problem, startedMs);
    };
    // 'close' follows every answer (and a hang-up); one listener, not two, on every request. A
    // hang-up is logged after the other close listeners (the delay says what it did not do).
    res.once('close', () => (res.writableFinished ? done() : setImmediate(done)));
    next();
  };
}

/**
 * The body as the journal keeps it: the parsed value itself when it came in small (its text is
 * made if it is read), else its clipped text now, so an entry never holds a large body.
 */
function sentBody(req: Request): JournalRecord['body'] {
  const sent: unknown = req.body;
  if (sent === undefined) return null;
  const length = Number(req.headers['content-length']);
  const identity = (req.headers['content-encoding'] ?? 'identity').toLowerCase() === 'identity';
  if (identity && length <= JOURNAL_TEXT_LIMITS.body) return { parsed: sent };
  return { text: clip(JSON.stringify(sent), JOURNAL_TEXT_LIMITS.body) };
}
