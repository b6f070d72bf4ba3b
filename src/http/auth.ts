import type { Request } from 'express';
import { ApiError } from './api-error.js';

export interface AuthOptions {
  /** Accept only this bearer token; any non-empty one when absent. */
  token?: string | undefined;
}

const BEARER = /^Bearer +(\S+)\s*$/i;

/**
 * A security handler for express-openapi-validator: `Authorization: Bearer <token>`, as the
 * real API checks it. The validator only tests that the header mentions "bearer"; this checks
 * that a token is really there.
 */
export function bearerHandler(options: AuthOptions) {
  return (req: Request): true => {
    const header = req.headers.authorization;
    if (!header) throw new ApiError(401, 'Authorization header required: send "Authorization: Bearer <token>"');
    // Worded as express-openapi-validator words it, which used to check this.
    if (!/^bearer\b/i.test(header)) throw new ApiError(401, "Authorization header with scheme 'Bearer' required");
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new ApiError(401, 'Authorization header must be "Bearer <token>"');
    if (options.token !== undefined && token !== options.token) throw new ApiError(401, 'Bearer token is not valid');
    return true;
  };
}
