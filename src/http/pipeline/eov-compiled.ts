import type { Request, Response } from 'express';
import { createRequire } from 'node:module';
import type { Operation } from '../../spec/spec-index.js';

const require = createRequire(import.meta.url);
const DIST = 'express-openapi-validator/dist';

type Next = (error?: unknown) => void;
type Middleware = (req: Request, res: Response, next: Next) => void;
interface AjvValidate {
  (data: unknown): boolean;
  schema?: { properties?: { body?: { _discriminator?: unknown } } };
}
interface Ajv {
  getSchema(key: string): AjvValidate | undefined;
}
interface Route {
  method: string;
  openApiRoute: string;
  expressRoute: string;
  basePath: string;
}
interface OperationSchema {
  'x-eov-allow-unknown-query-parameters'?: unknown;
  'x-allow-unknown-query-parameters'?: unknown;
  parameters?: Array<{ in?: string; content?: unknown; schema?: { type?: unknown }; $ref?: string }>;
  responses?: unknown;
}
type Document = { paths: Record<string, Record<string, OperationSchema>> };

/** What this file takes from express-openapi-validator 5.6.2's dist (see EOV_VERSION in eov-patches.ts). */
interface Internals {
  OpenApiValidator: new (options: unknown) => {
    options: { $refParser: unknown; validateResponses: unknown; validateRequests: { allowUnknownQueryParameters?: boolean } };
    ajvOpts: { preprocessor: unknown; request: unknown; response: unknown };
  };
  OpenApiSpecLoader: new (options: unknown) => { load(): Promise<{ apiDoc: Document; routes: Route[]; serial: number }> };
  SchemaPreprocessor: new (
    apiDoc: Document,
    ajvOptions: unknown,
    responseOptions: unknown,
  ) => { preProcess(): { apiDocRes: Document | null } };
  RequestValidator: new (
    apiDoc: Document,
    options: unknown,
  ) => { ajv: Ajv; ajvBody: Ajv; buildMiddleware(path: string, schema: OperationSchema, contentType: unknown, key: string): Middleware };
  ResponseValidator: new (
    apiDoc: Document,
    options: unknown,
    eovOptions: unknown,
    serial: number,
  ) => {
    buildValidators(responses: unknown, key: string): unknown;
    _validate(args: { validators: unknown; body: unknown; statusCode: number; path: string; accepts: string[] }): void;
  };
  ContentType: { from(req: Request): { mediaType: string | null; normalize(): string | undefined } };
}

function internals(): Internals {
  const found = {
    OpenApiValidator: (require(`${DIST}/openapi.validator.js`) as Partial<Internals>).OpenApiValidator,
    OpenApiSpecLoader: (require(`${DIST}/framework/openapi.spec.loader.js`) as Partial<Internals>).OpenApiSpecLoader,
    SchemaPreprocessor: (require(`${DIST}/middlewares/parsers/schema.preprocessor.js`) as Partial<Internals>).SchemaPreprocessor,
    RequestValidator: (require(`${DIST}/middlewares/openapi.request.validator.js`) as Partial<Internals>).RequestValidator,
    ResponseValidator: (require(`${DIST}/middlewares/openapi.response.validator.js`) as Partial<Internals>).ResponseValidator,
    ContentType: (require(`${DIST}/middlewares/util.js`) as Partial<Internals>).ContentType,
  };
  const missing = Object.entries(found).filter(([, value]) => value === undefined);
  // The start fails, rather than a check being skipped, if EOV's internals moved.
  if (missing.length > 0)
    throw new Error(
      `express-openapi-validator has no ${missing.map(([name]) => name).join(', ')} where src/http/pipeline/eov-compiled.ts expects it: its internals changed`,
    );
  return found as Internals;
}

/** One operation's request check for one Content-Type: EOV's validators, and EOV's middleware built with them. */
interface RequestCheck {
  general: AjvValidate;
  body: AjvValidate;
  eov: Middleware;
  /** False where EOV's per-request wrapper does more than call the two (see directly). */
  direct: boolean;
}

/** A response check: throws EOV's InternalServerError for an answer the spec does not allow. */
export type ResponseCheck = (req: Request, res: Response, body: unknown) => void;

/**
 * express-openapi-validator's validators, compiled by EOV's own classes exactly as its
 * `middleware()` wires them (spec loader, schema preprocessor, request and response validator),
 * and called per operation without EOV's per-request wrapper: no route lookup, content-type
 * parsing, cache-key building, `req.query` redefinition, parameter mutator, response hook
 * (`res.json` replaced per request), or promise hop per step. A refused request goes through the
 * middleware EOV built for that operation, so its error is EOV's own.
 */
export class CompiledEov {
  readonly #checks = new Map<string, RequestCheck>();
  readonly #responseChecks = new Map<string, ResponseCheck | null>();

  private constructor(
    private readonly eov: Internals,
    private readonly apiDoc: Document,
    private readonly routes: Route[],
    private readonly requests: InstanceType<Internals['RequestValidator']>,
    private readonly responses: InstanceType<Internals['ResponseValidator']> | undefined,
    private readonly responseDoc: Document | null,
    private readonly allowUnknownQuery: boolean,
  ) {}

  /** `options`: EOV's `middleware()` options. */
  static async compile(document: unknown, options: { validateResponses: unknown } & Record<string, unknown>): Promise<CompiledEov> {
    const eov = internals();
    // What EOV's `middleware()` and `installMiddleware` do, in their order.
    const oav = new eov.OpenApiValidator({ ...options, apiSpec: document });
    const spec = await new eov.OpenApiSpecLoader({
      apiDoc: structuredClone(document),
      validateApiSpec: false,
      $refParser: oav.options.$refParser,
    }).load();
    const { apiDocRes } = new eov.SchemaPreprocessor(spec.apiDoc, oav.ajvOpts.preprocessor, oav.options.validateResponses).preProcess();
    const requests = new eov.RequestValidator(spec.apiDoc, oav.ajvOpts.request);
    const responses = options.validateResponses
      ? new eov.ResponseValidator(apiDocRes!, oav.ajvOpts.response, oav.options.validateResponses, spec.serial)
      : undefined;
    const allowUnknownQuery = oav.options.validateRequests.allowUnknownQueryParameters === true;
    return new CompiledEov(eov, spec.apiDoc, spec.routes, requests, responses, apiDocRes, allowUnknownQuery);
  }

  /** Validates `req` against `op` (its path parameters already in `req.params`), as EOV's request middleware would. */
  validateRequest(op: Operation, req: Request, res: Response, next: Next): void {
    const sent = req.headers['content-type'];
    // oneContentType leaves no header or a declared media type: a handful per operation.
    const cacheKey = `${op.operationId} ${sent ?? ''}`;
    let check = this.#checks.get(cacheKey);
    if (!check) {
      check = this.#build(op, req);
      if (sent === undefined || op.requestMediaTypes.includes(sent)) this.#checks.set(cacheKey, check);
    }
    if (check.direct) {
      // EOV's request data, as its middleware makes it (no cookie parser here: no cookies).
      const cookies = (req as { cookies?: object }).cookies;
      const data = {
        query: (req.query as unknown) ?? {},
        headers: req.headers,
        params: req.params,
        cookies: cookies ? { ...cookies, ...(req as { signedCookies?: object }).signedCookies } : undefined,
        body: req.body as unknown,
      };
      if (check.general(data) && check.body(data)) return next();
    }
    // Refused (or not directly checkable): EOV's own middleware validates again and words the error.
    (req as Request & { openapi?: unknown }).openapi = { ...this.#metadata(op), pathParams: req.params };
    try {
      check.eov(req, res, next);
    } catch (error) {
      next(error);
    }
  }

  /** `op`'s response check, as EOV's response middleware runs it; none when responses are not validated. */
  responseCheck(op: Operation): ResponseCheck | undefined {
    const known = this.#responseChecks.get(op.operationId);
    if (known !== undefined) return known ?? undefined;
    const responses = this.responses;
    const schema = this.responseDoc && this.#route(op, this.responseDoc);
    if (!responses || !schema) return void this.#responseChecks.set(op.operationId, null);
    const validators = responses.buildValidators(schema.responses, `${op.method}-${this.#routeOf(op).expressRoute}-response`);
    const check: ResponseCheck = (req, res, body) => {
      const contentType = res.getHeader('content-type') as string | undefined;
      const accept = req.headers.accept;
      const accepts = contentType ? [contentType] : accept ? accept.split(',').map((h) => h.trim()) : [];
      responses._validate({ validators, body, statusCode: res.statusCode, path: req.originalUrl, accepts });
    };
    this.#responseChecks.set(op.operationId, check);
    return check;
  }

  #build(op: Operation, req: Request): RequestCheck {
    const route = this.#routeOf(op);
    const schema = this.#route(op, this.apiDoc)!;
    const contentType = this.eov.ContentType.from(req);
    const key = `${req.method}-${route.expressRoute}-${contentType.normalize() ?? 'not_provided'}`;
    const eov = this.requests.buildMiddleware(route.expressRoute, schema, contentType, key);
    const general = this.requests.ajv.getSchema(key);
    const body = this.requests.ajvBody.getSchema(key);
    if (!general || !body) throw new Error(`express-openapi-validator compiled no validators under ${key}: its internals changed`);
    return { general, body, eov, direct: this.allowUnknownQuery && directly(route, schema, contentType.mediaType, body) };
  }

  #metadata(op: Operation) {
    const route = this.#routeOf(op);
    return {
      expressRoute: route.expressRoute,
      openApiRoute: route.openApiRoute,
      schema: this.#route(op, this.apiDoc),
      serial: -1,
    };
  }

  #routeOf(op: Operation): Route {
    const route = this.routes.find((r) => r.method === op.method.toUpperCase() && r.openApiRoute === `${r.basePath}${op.path}`);
    if (!route) throw new Error(`express-openapi-validator has no route for ${op.method} ${op.path}`);
    return route;
  }

  #route(op: Operation, doc: Document): OperationSchema | undefined {
    return doc.paths[op.path]?.[op.method.toLowerCase()];
  }
}

/**
 * Whether EOV's per-request wrapper only calls the two validators for this operation: unknown
 * query parameters allowed (no query check of its own), no wildcard route, no multipart body, no
 * discriminator, and only scalar path parameters (which its parameter mutator leaves as they are).
 * Otherwise every request goes through EOV's middleware.
 */
function directly(route: Route, schema: OperationSchema, mediaType: string | null, body: AjvValidate): boolean {
  const scalarPathParameters = (schema.parameters ?? []).every(
    (p) => p.in === 'path' && p.content === undefined && typeof p.schema?.type === 'string' && !['array', 'object'].includes(p.schema.type),
  );
  return (
    scalarPathParameters &&
    schema['x-eov-allow-unknown-query-parameters'] !== false &&
    schema['x-allow-unknown-query-parameters'] !== false &&
    !route.expressRoute.endsWith('*') &&
    mediaType !== 'multipart/form-data' &&
    body.schema?.properties?.body?._discriminator === undefined
  );
}
