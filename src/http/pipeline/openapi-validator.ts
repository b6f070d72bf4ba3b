import type { RequestHandler } from 'express';
import { REFUSAL_LIMITS } from '../../domain/refusal.js';
import type { OpenApiDocument } from '../../spec/openapi-document.js';
import { AJV_FORMATS_MODE, INT64_FORMAT } from '../../spec/formats.js';
import { boundedView } from './bounded-view.js';
import { CompiledEov } from './eov-compiled.js';
import { armJsonCheck } from './respond.js';
import { skipUnusedSpecValidator } from './eov-patches.js';
import type { ValidatorIssue } from '../errors/validation-messages.js';
import { operationOf } from './operation-of.js';

export interface ValidatorOptions {
  /** Check every response (default true); false only to price the check in `npm run bench`. */
  validateResponses?: boolean;
}

/** GET paths that passed request validation: the same path (no query, no body) passes again. */
const MAX_KNOWN_VALID = 10_000;
/** Longer paths are validated each time: the set holds at most MAX_KNOWN_VALID of this many characters. */
const MAX_KNOWN_VALID_PATH = 256;
/** Items of each array whose problems a refusal names, as many as its `details` can hold. */
const CHECKED_ITEMS = REFUSAL_LIMITS.details;

/**
 * express-openapi-validator (EOV), request and response validation, with its per-request work
 * made per-start where the answer cannot change, and bounded where a client chooses it:
 * - its validators are compiled by its own classes once, and called per operation without its
 *   per-request wrapper (eov-compiled.ts); a refused request is worded by EOV's own middleware;
 * - path parameters are read with the operation's matcher, not by trying every route;
 * - a GET whose path already passed request validation is not validated again: nothing else of it
 *   is validated (no query or header parameters, no body), so the verdict would be the same;
 * - EOV compiles and keeps validators per Content-Type as sent (parameters included): it sees one
 *   per operation (see oneContentType);
 * - a request is first checked up to its first problem; only a refused one is checked for all its
 *   problems, in a copy whose arrays are cut to what an answer names (see allProblems).
 * Auth is a step of ours before this one (the spec's schemes are all bearer).
 */
export function openApiValidator(document: OpenApiDocument, options: ValidatorOptions = {}): RequestHandler[] {
  skipUnusedSpecValidator();
  const validateResponses = options.validateResponses !== false;
  const firstProblem = compiledEov(document, { allErrors: false, validateResponses });
  // Only a refused request needs it: compiled then, not at start-up (half of EOV's start-up work).
  const everyProblem = compiledEov(document, { allErrors: true, validateResponses: false }, 'when first used');
  const request = allProblems(requestCheck(firstProblem), requestCheck(everyProblem));
  return [pathParameters(), oneContentType(), skipKnownValid(request), ...(validateResponses ? [responseCheck(firstProblem)] : [])];
}

/**
 * Runs `use` with EOV compiled for `document`: compiling starts now, at start-up (ready before the
 * first request is read), or when first used.
 */
type WithEov = (use: (eov: CompiledEov) => void, fail: (error: unknown) => void) => void;

function compiledEov(
  document: OpenApiDocument,
  options: { allErrors: boolean; validateResponses: boolean },
  when: 'now' | 'when first used' = 'now',
): WithEov {
  let ready: CompiledEov | undefined;
  let building: Promise<unknown> | undefined;
  const build = () => {
    building = compile(document, options).then((eov) => (ready = eov));
    // A failure is every request's (as EOV does), not an unhandled rejection at start.
    building.catch(() => {});
    return building;
  };
  if (when === 'now') void build();
  return (use, fail) => (ready ? use(ready) : void (building ?? build()).then(() => use(ready!), fail));
}

function compile(document: OpenApiDocument, options: { allErrors: boolean; validateResponses: boolean }): Promise<CompiledEov> {
  return CompiledEov.compile(document, {
    validateRequests: { allErrors: options.allErrors, allowUnknownQueryParameters: true },
    // Our own answers: every problem of a response that breaks the spec is a bug to name.
    validateResponses: options.validateResponses ? { allErrors: true } : false,
    validateSecurity: false,
    // spec/openapi.json is validated by an OpenAPI 3.1 parser when it is built (spec:build).
    validateApiSpec: false,
    // No operation takes multipart bodies: no multer step on every request.
    fileUploader: false,
    // The snapshot check uses the same formats (src/spec/formats.ts): they never disagree.
    validateFormats: true,
    ajvFormats: { mode: AJV_FORMATS_MODE },
    formats: { int64: INT64_FORMAT },
  });
}

function requestCheck(withEov: WithEov): RequestHandler {
  return (req, res, next) => withEov((eov) => eov.validateRequest(operationOf(res)!, req, res, next), next);
}

/** Arms the operation's response check: the answer's JSON is checked on its way out (respond.ts). */
function responseCheck(withEov: WithEov): RequestHandler {
  return (req, res, next) =>
    withEov((eov) => {
      const check = eov.responseCheck(operationOf(res)!);
      if (check) armJsonCheck(res, (body) => check(req, res, body), next);
      next();
    }, next);
}

interface ValidationError {
  status: number;
  errors: ValidatorIssue[];
}
const isValidationError = (error: unknown): error is ValidationError =>
  typeof error === 'object' &&
  error !== null &&
  (error as ValidationError).status === 400 &&
  Array.isArray((error as ValidationError).errors);

/**
 * With `allErrors`, ajv makes an error object for every bad item before the answer keeps 50 (a
 * megabyte of `0,` is 500,000 of them: seconds of CPU, hundreds of MB). So `first` stops at the
 * first problem, which is all a valid request pays; a refused one is then checked by `every` in a
 * copy of its body whose arrays hold their first CHECKED_ITEMS items, and the answer says which
 * arrays were cut. The first problem is always named, wherever it was. (The spec's request schemas
 * put no rule on an array as a whole, minItems or contains, that a cut could break.)
 */
function allProblems(first: RequestHandler, every: RequestHandler): RequestHandler {
  return (req, res, next) => {
    first(req, res, (error?: unknown) => {
      if (!isValidationError(error)) return next(error);
      const body: unknown = req.body;
      const { view, cut } = boundedView(body, CHECKED_ITEMS, '/body');
      req.body = view;
      every(req, res, (detailed?: unknown) => {
        req.body = body;
        const found = isValidationError(detailed) ? detailed.errors : [];
        const known = new Set(found.map((i) => `${i.path}\n${i.message}`));
        const issues = [...found, ...error.errors.filter((i) => !known.has(`${i.path}\n${i.message}`))];
        const notes = cut
          .filter(({ pointer }) => issues.some((i) => i.path?.startsWith(`${pointer}/`)))
          .map(({ pointer, length }) => ({
            path: pointer,
            message: `has ${length} items; problems are named for the first ${CHECKED_ITEMS} only`,
          }));
        next(Object.assign(isValidationError(detailed) ? detailed : error, { errors: [...notes, ...issues] }));
      });
    });
  };
}

/**
 * EOV compiles a validator (and keeps it) for each Content-Type it is sent, parameters and all: a
 * client sending `application/json; v=1`, `v=2`, … grew the heap by tens of KB and spent
 * milliseconds per request. The body parser has read the header already (JSON, UTF-8); EOV is
 * shown the declared media type, no header where no body is declared, and any other media type is
 * refused here as EOV would refuse it.
 */
function oneContentType(): RequestHandler {
  return (req, res, next) => {
    const op = operationOf(res);
    const sent = req.headers['content-type'];
    if (!op || sent === undefined) return next();
    if (!op.hasRequestBody) {
      delete req.headers['content-type'];
      return next();
    }
    const mediaType = sent.split(';', 1)[0]!.trim().toLowerCase();
    if (!op.requestMediaTypes.includes(mediaType)) return next({ status: 415, message: `${req.path} unsupported media type ${mediaType}` });
    req.headers['content-type'] = mediaType;
    next();
  };
}

/**
 * The path's parameters, by the operation's own matcher (EOV's metadata step tried every route's,
 * compiled anew, on every request); a path that cannot be decoded is refused as EOV refuses it.
 */
function pathParameters(): RequestHandler {
  return (req, res, next) => {
    const op = operationOf(res)!;
    const params: Record<string, string> = {};
    if (op.paramNames.length > 0) {
      const values = op.paramMatcher.exec(req.path)?.slice(1) ?? [];
      try {
        op.paramNames.forEach((name, i) => (params[name] = decodeURIComponent(values[i] ?? '')));
      } catch {
        // What EOV answers for a path it cannot decode (normalizeError words it).
        return next({ status: 400, message: "malformed uri'" });
      }
    }
    req.params = params;
    next();
  };
}

function skipKnownValid(request: RequestHandler): RequestHandler {
  const valid = new Set<string>();
  return (req, res, next) => {
    const key = req.method === 'GET' && !req.url.includes('?') && req.path.length <= MAX_KNOWN_VALID_PATH ? req.path : undefined;
    if (key !== undefined && valid.has(key)) return next();
    request(req, res, (error?: unknown) => {
      if (!error && key !== undefined) {
        if (valid.size >= MAX_KNOWN_VALID) valid.clear();
        valid.add(key);
      }
      next(error);
    });
  };
}
