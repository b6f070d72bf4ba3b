import type { Request, RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { OpenApiDocument } from '../spec/openapi-document.js';
import { AJV_FORMATS_MODE, INT64_FORMAT } from '../spec/formats.js';
import { skipUnusedSpecValidator } from './eov-patches.js';
import { operationOf } from './operation-of.js';

export interface ValidatorOptions {
  /** Check every response (default true); false only to price the check in `npm run bench`. */
  validateResponses?: boolean;
}

/** GET paths that passed request validation: the same path (no query, no body) passes again. */
const MAX_KNOWN_VALID = 10_000;

/**
 * express-openapi-validator (EOV), request and response validation, with its per-request work
 * made per-start where the answer cannot change:
 * - its route lookup (recompiling every route's matcher on every request) is done once per
 *   operation; later requests get the same metadata, with their own path parameters;
 * - a GET whose path already passed request validation is not validated again: nothing else of it
 *   is validated (no query or header parameters, no body), so the verdict would be the same.
 * Auth is a step of ours before this one (the spec's schemes are all bearer).
 */
export function openApiValidator(document: OpenApiDocument, options: ValidatorOptions = {}): RequestHandler[] {
  skipUnusedSpecValidator();
  const steps = OpenApiValidator.middleware({
    apiSpec: structuredClone(document) as never,
    validateRequests: { allErrors: true, allowUnknownQueryParameters: true },
    validateResponses: options.validateResponses === false ? false : { allErrors: true },
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
  const step = (name: string): RequestHandler => {
    const found = steps.find((s) => s.name === name);
    // Named functions in EOV's source; a renamed one must fail the start, not skip a check.
    if (!found) throw new Error(`express-openapi-validator has no ${name} step: its pipeline changed, see src/http/validator.ts`);
    return found;
  };
  const pathParams = step('pathParamsMiddleware');
  const request = step('requestMiddleware');
  const response = options.validateResponses === false ? undefined : step('responseMiddleware');
  return [once(pathParams), memoizedMetadata(step('metadataMiddleware')), skipKnownValid(request), ...(response ? [response] : [])];
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
      // What EOV answers for a path it cannot decode (toApiError words it).
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
    const key = req.method === 'GET' && !req.url.includes('?') ? req.path : undefined;
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
