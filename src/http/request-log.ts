import type { RequestHandler } from 'express';
import type { Journal } from '../control/journal.js';
import { operationOf } from './operation-of.js';
import type { Logger } from './logger.js';

/** On each response: one log line and one journal entry, with the problem if there was one. */
export function requestLog(logger: Logger, journal: Journal): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const time = new Date().toISOString();
    res.on('finish', () => {
      const entry = {
        time,
        session: req.get('x-mock-session') || null,
        method: req.method,
        path: req.originalUrl,
        operationId: operationOf(res)?.operationId ?? null,
        status: res.statusCode,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        problem: (res.locals.problem as string | undefined) ?? null,
      };
      logger.request(entry);
      // The control plane's own traffic would drown what the journal is for.
      if (!req.originalUrl.startsWith('/__admin')) journal.add(entry);
    });
    next();
  };
}
