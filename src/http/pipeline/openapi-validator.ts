import type { Request, RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { REFUSAL_LIMITS } from '../../domain/refusal.js';
import type { OpenApiDocument } from '../../spec/openapi-document.js';
import { AJV_FORMATS_MODE, INT64_FORMAT } from '../../spec/formats.js';
import { boundedView } from './bounded-view.js';
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
 * - its route lookup (recompiling every route's matcher on every request) is done once per
 *   operation; later requests get the same metadata, with their own path parameters;
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
  const firstProblem = eovSteps(document, { allErrors: false, validateResponses });
  const everyProblem = eovSteps(document, { allErrors: true, validateResponses: false });
  const request = allProblems(firstProblem('requestMiddleware'), everyProblem('requestMiddleware'));
  return [
    once(firstProblem('pathParamsMiddleware')),
    memoizedMetadata(firstProblem('metadataMiddleware')),
    oneContentType(),
    skipKnownValid(request),
    ...(validateResponses ? [firstProblem('responseMiddleware')] : []),
  ];
}

/** One EOV instance's steps, by name. */
function eovSteps(
  document: OpenApiDocument,
  options: { allErrors: boolean; validateResponses: boolean },
): (name: string) => RequestHandler {
  const steps = OpenApiValidator.middleware({
    apiSpec: structuredClone(document) as never,
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
  }) as unknown as RequestHandler[];
  return (name) => {
    const found = steps.find((s) => s.name === name);
    // Named functions in EOV's source; a renamed one must fail the start, not skip a check.
    if (!found)
      throw new Error(`express-openapi-validator has no ${name} step: its pipeline changed, see src/http/pipeline/openapi-validator.ts`);
    return found;
  };
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

/** EOV's path-parameter step only installs its parameter hooks on the app, the first time. */
function once(install: RequestHandler): RequestHandler {
  let installed = false;
  return (req, res, next) => {
    if (installed) return next();
    install(req, res, (error?: unknown) => {
      if (!error) installed = true;
      next(error);
    });
  };
}

interface Metadata {
  expressRoute: string;
  openApiRoute: string;
  schema: unknown;
  serial: number;
  _responseSchema?: unknown;
}

function memoizedMetadata(metadata: RequestHandler): RequestHandler {
  const byOperation = new Map<string, Metadata>();
  return (req, res, next) => {
    const op = operationOf(res);
    const known = op && byOperation.get(op.operationId);
    if (!op || !known) {
      return metadata(req, res, (error?: unknown) => {
        const found = (req as Request & { openapi?: Metadata & { pathParams?: Record<string, string> } }).openapi;
        if (!error && op && found) {
          const { pathParams, ...kept } = found;
          byOperation.set(op.operationId, kept);
          // No Express route matched the path (the pipeline is one handler): the parameters are EOV's.
          if (pathParams) req.params = pathParams;
        }
        next(error);
      });
    }
    const values = op.paramMatcher.exec(req.path)?.slice(1) ?? [];
    const pathParams: Record<string, string> = {};
    try {
      op.paramNames.forEach((name, i) => (pathParams[name] = decodeURIComponent(values[i] ?? '')));
    } catch {
      // What EOV answers for a path it cannot decode (normalizeError words it).
      return next({ status: 400, message: "malformed uri'" });
    }
    (req as Request & { openapi?: unknown }).openapi = { ...known, pathParams };
    req.params = pathParams;
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
