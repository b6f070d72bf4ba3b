import { Refusal } from '../../domain/refusal.js';
import { SessionRefusal } from '../../store/session-registry.js';
import { PersistError } from '../../store/store.js';
import { ApiError, ControlError } from './api-error.js';
import { describeValidationErrors, type ValidatorIssue } from './validation-messages.js';

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
  limit?: number;
  errors?: ValidatorIssue[];
  headers?: Record<string, string>;
}

/** Turns whatever was thrown (ours, the validator's, the body parser's, a bug) into an ApiError. */
export function normalizeError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // Where no operation chose a status for it (see operations/): invalid input 400, unknown 404.
  if (err instanceof Refusal) return new ApiError(err.kind === 'invalid' ? 400 : 404, err.message, err.details);
  if (err instanceof SessionRefusal) {
    // The mock's own extension: its statuses hold whatever the operation declares.
    return err.reason === 'too_many'
      ? new ControlError(429, err.message)
      : new ControlError(400, err.message, [{ path: '/headers/x-mock-session', message: 'is not a valid session name' }]);
  }
  if (err instanceof PersistError) {
    // Nothing changed (see Store.transact): the client may retry without making a duplicate.
    return new ApiError(500, 'the change could not be written to the --db file, so it was not made; nothing changed', [], {}, err);
  }
  const e = (typeof err === 'object' && err !== null ? err : {}) as HttpLikeError;
  const status = e.status ?? e.statusCode ?? 500;

  switch (e.type) {
    case 'entity.parse.failed':
      return new ApiError(400, `request body is not valid JSON: ${e.message ?? 'parse error'}`, [
        { path: '/body', message: 'is not valid JSON' },
      ]);
    case 'entity.too.large':
      return new ApiError(413, `request body is larger than the limit of ${e.limit ?? '?'} bytes`, [
        { path: '/body', message: 'is too large' },
      ]);
    case 'entity.inexact.number':
      return new ApiError(400, e.message ?? 'a number cannot be kept exactly', [
        { path: '/body', message: 'holds a number that cannot be kept exactly' },
      ]);
    case 'entity.number.too.long':
      return new ApiError(400, e.message ?? 'a number is too long', [{ path: '/body', message: 'holds a number that is too long' }]);
    case 'entity.too.deep':
      return new ApiError(413, e.message ?? 'request body nests too deep', [{ path: '/body', message: 'nests too deep' }]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
    case 'charset.not.utf8':
      return new ApiError(415, e.message ?? 'unsupported body encoding', [{ path: '/body', message: 'has an unsupported encoding' }]);
  }

  if (status === 415) {
    // The validator says "/v2/policy/create unsupported media type text/plain".
    const got = /unsupported media type (.*)$/.exec(e.message ?? '')?.[1];
    const sent = got && got !== 'undefined' ? `got ${got}` : 'none was sent';
    return new ApiError(415, `Content-Type must be application/json (${sent})`, [
      { path: '/headers/content-type', message: 'must be application/json' },
    ]);
  }
  if (/^malformed uri/.test(e.message ?? '')) {
    return new ApiError(400, 'the URL path is not valid percent-encoding', [{ path: '/path', message: 'is not valid percent-encoding' }]);
  }
  if (Array.isArray(e.errors) && status < 500) {
    const { message, details } = describeValidationErrors(e.errors, e.message ?? 'invalid request');
    return new ApiError(status, message, details, e.headers ?? {});
  }
  if (Array.isArray(e.errors) && e.errors.some((i) => i.path?.startsWith('/response'))) {
    const { message, details } = describeValidationErrors(e.errors, e.message ?? 'invalid response');
    return new ApiError(500, `the mock's response broke the spec (a bug in the mock): ${message}`, details);
  }
  if (status >= 400 && status < 500) return new ApiError(status, e.message ?? 'bad request');
  return new ApiError(500, 'internal error in the mock', [], {}, err);
}
