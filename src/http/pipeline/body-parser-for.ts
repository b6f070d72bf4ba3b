import { isUtf8 } from 'node:buffer';
import type { RequestHandler } from 'express';
import { operationOf } from './operation-of.js';

/** What the body parser's errors look like (its `type` picks the answer in normalizeError). */
class NotUtf8Error extends Error {
  readonly type = 'charset.not.utf8';
  readonly status = 415;
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/**
 * Parse JSON only for operations that declare a body: a stray body elsewhere is ignored, not a 400.
 * JSON is UTF-8 between systems (RFC 8259 §8.1); other charsets are refused before parsing, so the
 * depth check, which reads bytes, always reads the text it guards.
 */
export function bodyParserFor(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (!operationOf(res)?.hasRequestBody) return next();
    const refusal = notUtf8(req.get('content-type'));
    if (refusal) return next(refusal);
    parser(req, res, next);
  };
}

/** The refusal of a body declared in another charset than UTF-8, or undefined. */
export function notUtf8(contentType: string | undefined): Error | undefined {
  const charset = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return undefined;
  return new NotUtf8Error(`request bodies must be UTF-8 JSON (RFC 8259), not charset=${charset}`);
}

/** A body parser's `verify` that refuses bytes which are not UTF-8 (415), before `then` reads them. */
export function refuseInvalidUtf8<R, S>(then: (req: R, res: S, body: Buffer) => void): (req: R, res: S, body: Buffer) => void {
  return (req, res, body) => {
    if (!isUtf8(body)) throw new NotUtf8Error('request bodies must be UTF-8 JSON (RFC 8259 §8.1): the body holds bytes that are not UTF-8');
    then(req, res, body);
  };
}
