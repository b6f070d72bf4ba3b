import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';

/** What the body parser's `verify` is: it throws (a typed error) to refuse the raw bytes. */
type Verify = (req: IncomingMessage, res: unknown, body: Buffer) => void;

/** A read that failed as raw-body's do (normalizeError picks the answer by `type`). */
class BodyReadError extends Error {
  readonly status = 400;
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

/**
 * The JSON body of an API request. The common case (no Content-Encoding, `application/json`, a
 * Content-Length within the limit) is read and parsed here, as body-parser would parse it: its
 * stream plumbing (type-is, iconv, on-finished, http-errors) cost an eighth of a create's CPU.
 * Anything else (compressed, chunked, empty, too large, another type) goes to body-parser itself
 * (`express.json` with the same limit and check), which knows every encoding and failure.
 */
export function jsonBody(options: { limit: string | number; verify: Verify }): RequestHandler {
  const { verify } = options;
  const fallback = express.json(options);
  // Bodies up to 64 KiB (the API's are under 1 KiB): a large one costs its parse, not the plumbing.
  const largest = Math.min(FAST_PATH_MAX, bytesOf(options.limit));
  return (req, res, next) => {
    const length = plainJsonLength(req, largest);
    if (length === undefined) return fallback(req, res, next);
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) return next(error);
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      try {
        verify(req, res, body);
      } catch (refusal) {
        return next(asVerifyError(refusal));
      }
      try {
        req.body = parseStrict(body.toString('utf8'));
      } catch (syntax) {
        return next(Object.assign(syntax as Error, { status: 400, type: 'entity.parse.failed' }));
      }
      next();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    };
    // Node's parser hands over at most Content-Length bytes; fewer is raw-body's mismatch all the same.
    const onEnd = () =>
      finish(received === length ? undefined : new BodyReadError('request size did not match content length', 'request.size.invalid'));
    const onError = (error: Error) => finish(Object.assign(new BodyReadError(error.message, 'request.aborted'), { cause: error }));
    // A client that hangs up mid-body: what raw-body calls an aborted request.
    const onClose = () => finish(new BodyReadError('request aborted', 'request.aborted'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  };
}

const FAST_PATH_MAX = 64 * 1024;

/** The Content-Length of a body this reader takes (see jsonBody), or undefined for body-parser's. */
function plainJsonLength(req: IncomingMessage, largest: number): number | undefined {
  const { headers } = req;
  if (headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined) return undefined;
  const type = headers['content-type'];
  if (type === undefined || !/^application\/json\s*(;|$)/i.test(type)) return undefined;
  const length = Number(headers['content-length']);
  // Empty bodies (body-parser makes them {}) and large ones (its 413) stay its own.
  return Number.isInteger(length) && length > 0 && length <= largest ? length : undefined;
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };

/** body-parser's `limit` in bytes, as its `bytes` package reads it; 0 (no fast path) for one it reads otherwise. */
export function bytesOf(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|pb)?$/i.exec(limit.trim());
  return match ? Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!) : 0;
}

/** body-parser's verify failure: its `type` stays (ours are typed), else entity.verify.failed, 403. */
function asVerifyError(refusal: unknown): unknown {
  if (!(refusal instanceof Error)) return refusal;
  const typed = refusal as Error & { type?: string; status?: number };
  typed.type ??= 'entity.verify.failed';
  typed.status ??= 403;
  return typed;
}

/** JSON's whitespace (RFC 8259 §2): space, tab, line feed, carriage return. */
const isJsonSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** The first character that is not JSON whitespace, or '' for none. */
function firstNonWhitespace(text: string): string {
  let i = 0;
  while (i < text.length && isJsonSpace(text[i]!)) i++;
  return text[i] ?? '';
}

/**
 * JSON.parse in body-parser's strict mode: only an object or an array at the top, its syntax error
 * worded as body-parser words it (the text past the offending character shown as sent). A leading
 * byte order mark is dropped, as iconv-lite's UTF-8 decoder drops it.
 */
export function parseStrict(sent: string): unknown {
  const text = sent.charCodeAt(0) === 0xfeff ? sent.slice(1) : sent;
  if (text[0] !== '{' && text[0] !== '[') {
    const first = firstNonWhitespace(text);
    if (first !== '{' && first !== '[') throw strictSyntaxError(text, first);
  }
  return JSON.parse(text);
}

function strictSyntaxError(text: string, first: string): SyntaxError {
  const index = first === '' ? -1 : text.indexOf(first);
  const partial = index === -1 ? '' : text.substring(0, index) + '#'.repeat(text.length - index);
  try {
    JSON.parse(partial);
    return new SyntaxError('strict violation');
  } catch (error) {
    const syntax = error as SyntaxError;
    syntax.message = syntax.message.replace(/#+/g, (placeholder) => text.substring(index, index + placeholder.length));
    return syntax;
  }
}
