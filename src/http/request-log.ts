import type { RequestHandler } from 'express';
import type { Logger } from './logger.js';

/** `POST /v2/policy/create 400 3ms - resource must be one of pods, namespace, jobs` */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const problem = res.locals.problem as string | undefined;
      logger.request(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms${problem ? ` - ${problem}` : ''}`);
    });
    next();
  };
}
