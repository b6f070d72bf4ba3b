import type { RequestHandler } from 'express';
import type { bearerHandler } from './auth.js';
import { operationOf } from './operation-of.js';

/**
 * The spec's security, for the operations that declare it: every scheme it names is an http bearer
 * scheme, checked by one handler. Its refusal is worded as the validator's was (see toApiError).
 */
export function authenticate(check: ReturnType<typeof bearerHandler> | false): RequestHandler {
  return (req, res, next) => {
    if (!check || !operationOf(res)?.secured) return next();
    try {
      check(req);
    } catch (error) {
      return next({ status: 401, message: (error as Error).message });
    }
    next();
  };
}
