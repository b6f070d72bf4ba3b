import type { RequestHandler } from 'express';
import { ApiError } from '../errors/api-error.js';
import { operationOf } from './operation-of.js';

export interface AuthOptions {
  /** Accept only this bearer token; any non-empty one when absent. */
  token?: string | undefined;
}

const BEARER = /^Bearer +(\S+)\s*$/i;
const HOW = ' (send "Authorization: Bearer <token>")';

/**
 * The spec's security, for the operations that declare it: every scheme it names is an http
 * bearer scheme, `Authorization: Bearer <token>`, checked as the real API checks it. `false` turns
 * auth off.
 */
export function authenticate(options: AuthOptions | false): RequestHandler {
  return (req, res, next) => {
    if (options === false || !operationOf(res)?.secured) return next();
    next(bearerRefusal(req.headers.authorization, options));
  };
}

/** The 401 for what is wrong with the `Authorization` header, built once here; undefined when nothing is. */
function bearerRefusal(header: string | undefined, options: AuthOptions): ApiError | undefined {
  if (!header) return refused('Authorization header required: send "Authorization: Bearer <token>"');
  // Worded as express-openapi-validator words it, which used to check this.
  if (!/^bearer\b/i.test(header)) return refused("Authorization header with scheme 'Bearer' required", HOW);
  const token = BEARER.exec(header)?.[1];
  if (!token) return refused('Authorization header must be "Bearer <token>"');
  if (options.token !== undefined && token !== options.token) return refused('Bearer token is not valid', HOW);
  return undefined;
}

/** The problem, how to send the header where the problem does not show it, and the header as the detail. */
function refused(problem: string, how = ''): ApiError {
  return new ApiError(401, problem + how, [{ path: '/headers/authorization', message: problem }]);
}
