import cors from 'cors';
import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { policyHandlers } from '../policies/handlers.js';
import { PolicyService } from '../policies/policy-service.js';
import { DEFAULT_SEED, seedData } from '../seed.js';
import { loadSpec } from '../spec/load-spec.js';
import { SpecIndex } from '../spec/spec-index.js';
import type { SeedSizes } from '../store/model.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { adminRoutes } from './admin-routes.js';
import { bearerHandler, type AuthOptions } from './auth.js';
import { errorHandler } from './error-handler.js';
import { silentLogger, type Logger } from './logger.js';
import { requestLog } from './request-log.js';
import { bodyParserFor, routeGuard } from './route-guard.js';

export interface AppOptions {
  /** Faker seed of the data (default 1337). */
  seed?: number;
  sizes?: Partial<SeedSizes>;
  /** Persist to this JSON file; in memory when absent. */
  db?: string;
  /** An already opened store (wins over seed, sizes and db). */
  store?: Store;
  /** `false` turns auth off; otherwise any bearer token, or only `token`. */
  auth?: AuthOptions | false;
  logger?: Logger;
  /** Largest accepted request body (default 1mb). */
  bodyLimit?: string | number;
  /** The clock for timestamps (tests pin it). */
  now?: () => Date;
}

export interface MockLocals {
  store: Store;
  service: PolicyService;
}

/** Builds the mock as an Express app, without listening. */
export async function createApp(options: AppOptions = {}): Promise<Express> {
  const logger = options.logger ?? silentLogger;
  const document = loadSpec();
  const spec = new SpecIndex(document);
  const store =
    options.store ??
    (await openStore({ file: options.db, seed: () => seedData(options.seed ?? DEFAULT_SEED, options.sizes) }));
  const service = new PolicyService(store, options.now);
  const handlers = policyHandlers(service);
  const auth = options.auth === false ? false : bearerHandler(options.auth ?? {});

  const app = express();
  app.disable('x-powered-by');
  app.locals.mock = { store, service } satisfies MockLocals;

  // 1. CORS (a browser app on another port is the first user) and one log line per request.
  app.use(cors({ exposedHeaders: ['Allow'] }));
  app.use(requestLog(logger));

  // 2. The control plane, outside the spec and its auth.
  app.use('/__admin', adminRoutes());

  // 3. Only the spec's operations go further: unknown path 404, other method 405.
  app.use(routeGuard(spec));

  // 4. JSON bodies, for the operations that declare one.
  app.use(bodyParserFor(spec, express.json({ limit: options.bodyLimit ?? '1mb' })));

  // 5. Auth, then the request against its operation; the response is checked on its way out.
  app.use(
    OpenApiValidator.middleware({
      apiSpec: structuredClone(document) as never,
      validateRequests: { allErrors: true, allowUnknownQueryParameters: true },
      validateResponses: { allErrors: true },
      validateSecurity: auth ? { handlers: { Token: auth, api_key: auth } } : false,
      // ajv-formats checks int64 only for "is an integer"; hold it to the int64 range.
      formats: { int64: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63 } },
    }),
  );

  // 6. One handler per operationId.
  for (const op of spec.operations) {
    const handler = handlers[op.operationId];
    if (!handler) throw new Error(`no handler for operation ${op.operationId}`);
    app[op.method.toLowerCase() as 'get' | 'post' | 'delete'](op.expressPath, handler);
  }

  // 7. Every failure as an ApiError with a declared status.
  app.use(errorHandler(spec, logger));
  return app;
}

export function mockLocals(app: Express): MockLocals {
  return app.locals.mock as MockLocals;
}
