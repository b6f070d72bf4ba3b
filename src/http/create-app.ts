import cors from 'cors';
import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { delay, type DelayRange } from './controls/delay.js';
import { Journal } from './journal.js';
import { mockContext, type MockContext } from '../control/mock-context.js';
import { seededRandom } from './controls/random.js';
import { responseControl, type FailRates } from './controls/response-control.js';
import { SessionRegistry, type SessionOptions } from '../store/session-registry.js';
import { policyHandlers } from '../policies/handlers.js';
import { DEFAULT_SEED, sharedSeedData } from '../world/seed.js';
import { loadSpec } from '../spec/load-spec.js';
import { AJV_FORMATS_MODE, INT64_FORMAT } from '../spec/formats.js';
import { SpecIndex } from '../spec/spec-index.js';
import type { SeedSizes } from '../domain/model.js';
import { memoryStore, openStore } from '../store/open-store.js';
import type { Simulation } from '../store/simulation.js';
import type { Store } from '../store/store.js';
import { adminRoutes } from './admin-routes.js';
import { docsRoutes } from './docs-routes.js';
import { bearerHandler, type AuthOptions } from './auth.js';
import { cachedList } from './cached-list.js';
import { refuseDeepJson } from './json-depth.js';
import { errorHandler, lastResort } from './error-handler.js';
import { silentLogger, type Logger } from './logger.js';
import { resolveOperation } from './operation-of.js';
import { requestLog } from './request-log.js';
import { bodyParserFor } from './body-parser-for.js';
import { routeGuard } from './route-guard.js';
import { hostGuard } from './host-guard.js';

export interface AppOptions {
  /** Faker seed of the data (default 1337). */
  seed?: number;
  sizes?: Partial<SeedSizes>;
  /** Persist the default store to this JSON file; in memory when absent. Sessions stay in memory. */
  db?: string;
  /** An already opened default store (wins over seed, sizes and db). */
  store?: Store;
  /** `false` turns auth off; otherwise any bearer token, or only `token`. */
  auth?: AuthOptions | false;
  logger?: Logger;
  /** Largest accepted request body (default 1mb). */
  bodyLimit?: string | number;
  /** The clock for timestamps (tests pin it). */
  now?: () => Date;
  /** Origins allowed by CORS; any origin when absent. */
  corsOrigins?: string[];
  /** `X-Mock-Session` limits (default 100 sessions, dropped after 30 idle minutes). */
  sessions?: Partial<SessionOptions>;
  /** Requests the journal keeps (default 1000). */
  journalSize?: number;
  /** Latency added to every spec operation. */
  delay?: DelayRange;
  /** Share of requests turned into the declared 500. */
  failRates?: FailRates;
  /** Seed of the fault dice (random when absent). */
  failSeed?: number;
  /** Token for /__admin (required by the CLI off loopback). */
  adminToken?: string;
  /**
   * Check every response against the spec (default true). `false` exists only to measure what the
   * check costs (`--no-response-validation`, a hidden benchmarking flag); never turn it off otherwise.
   */
  validateResponses?: boolean;
  /** The address the server listens on: a `Host` naming it is always allowed. */
  listenHost?: string;
  /** More `Host` names to answer (`--allowed-host`); IP addresses and localhost always pass. */
  allowedHosts?: string[];
  /** Largest snapshot PUT /__admin/state accepts, inflated (default 64mb). */
  adminBodyLimit?: string | number;
  /** The cluster changes every `tickMs`; `keep` lists pod and job ids never removed (a contract profile's). */
  simulate?: { tickMs: number; keep?: Iterable<string> };
}

/** 100 sessions, each dropped after 30 idle minutes. */
export const DEFAULT_SESSIONS: SessionOptions = { max: 100, idleMs: 30 * 60_000 };
export const DEFAULT_JOURNAL_SIZE = 1000;

export interface MockLocals {
  /** The default store's context (requests without `X-Mock-Session`). */
  store: Store;
  sessions: SessionRegistry;
  journal: Journal;
  simulation: Simulation | undefined;
}

/** Builds the mock as an Express app, without listening. */
export async function createApp(options: AppOptions = {}): Promise<Express> {
  const logger = options.logger ?? silentLogger;
  const document = loadSpec();
  const spec = new SpecIndex(document);
  const seed = options.seed ?? DEFAULT_SEED;
  const store = options.store ?? (await openStore({ file: options.db, seed: () => sharedSeedData(seed, options.sizes) }));
  const sessions = new SessionRegistry(
    mockContext(store, options.now),
    // A new session starts from what the default store was seeded with (a --db file's own seed and
    // sizes), sharing that seed's cluster: it costs only what it changes.
    () => mockContext(memoryStore(sharedSeedData(store.meta.seed, store.meta.sizes)), options.now),
    { ...DEFAULT_SESSIONS, ...options.sessions },
  );
  const journal = new Journal(options.journalSize ?? DEFAULT_JOURNAL_SIZE);
  // Imported only when asked for: the simulation's code and its faker locales are not loaded (start-up
  // time, memory) by every run that does not simulate.
  const simulation = options.simulate
    ? (await import('../store/simulation.js')).startSimulation(() => [...sessions.contexts()].map((c) => c.store), {
        tickMs: options.simulate.tickMs,
        keep: options.simulate.keep,
        onError: (error) => logger.error(`!! simulation tick failed: ${(error as Error).message}`),
      })
    : undefined;
  const auth = options.auth === false ? false : bearerHandler(options.auth ?? {});
  const contextOf = (res: express.Response) => res.locals.context as MockContext;

  const app = express();
  app.disable('x-powered-by');
  // No ETag, so no 304 answer to If-None-Match: no operation declares a 304 (and hashing every
  // body for it was a measurable share of each request).
  app.set('etag', false);
  app.locals.mock = { store, sessions, journal, simulation } satisfies MockLocals;

  // 0. Only the Host names this mock answers to (DNS rebinding), for every route.
  app.use(hostGuard({ listenHost: options.listenHost, allowedHosts: options.allowedHosts }));

  // 1. The control plane, outside the spec and its auth. Before the open CORS below: a web page
  //    from anywhere must not be able to reset or replace the store, only the origins named.
  app.use(
    '/__admin',
    cors({ origin: options.corsOrigins ?? false }),
    requestLog(logger, journal),
    adminRoutes({
      sessions,
      journal,
      seed: sharedSeedData,
      adminToken: options.adminToken,
      corsOrigins: options.corsOrigins,
      bodyLimit: options.adminBodyLimit,
      onReplace: (s) => simulation?.restart(s),
    }),
  );

  // 2. CORS (a browser app on another port is the first user), the spec and its docs page
  //    (before the log, so a page load is not seven log lines), then one log line per request.
  app.use(resolveOperation(spec));
  // A preflight only for paths that exist: elsewhere the 404 of step 3.
  const api = cors({ origin: options.corsOrigins ?? '*', exposedHeaders: ['Allow'] });
  app.use((req, res, next) => (req.method === 'OPTIONS' && spec.methodsAt(req.path).length === 0 ? next() : api(req, res, next)));
  app.use(docsRoutes(document));
  app.use(requestLog(logger, journal));

  // 3. Only the spec's operations go further: unknown path 404, other method 405.
  app.use(routeGuard(spec));

  // 4. JSON bodies, for the operations that declare one.
  app.use(bodyParserFor(express.json({ limit: options.bodyLimit ?? '1mb', verify: refuseDeepJson() })));

  //    A plain read of the list whose answer already went out validated for this store version
  //    gets the same bytes again here, with its token checked by the same handler: the validator
  //    would check nothing else (see cached-list.ts for exactly when).
  const failRates = options.failRates ?? {};
  app.use(
    cachedList(spec, {
      sessions,
      auth,
      failRate: failRates.byOperation?.policy_list ?? failRates.all ?? 0,
      delayed: (options.delay?.max ?? 0) > 0,
    }),
  );

  // 5. Auth, then the request against its operation; the response is checked on its way out.
  app.use(
    OpenApiValidator.middleware({
      apiSpec: structuredClone(document) as never,
      validateRequests: { allErrors: true, allowUnknownQueryParameters: true },
      validateResponses: options.validateResponses === false ? false : { allErrors: true },
      validateSecurity: auth ? { handlers: { Token: auth, api_key: auth } } : false,
      // spec/openapi.json is validated by an OpenAPI 3.1 parser when it is built (spec:build), and
      // the drift test keeps it equal to a fresh build: checking it again at every start cost
      // ~150 ms of start-up.
      validateApiSpec: false,
      // No operation takes multipart bodies: no multer step on every request.
      fileUploader: false,
      // The snapshot check uses the same formats (src/spec/formats.ts): they never disagree.
      validateFormats: true,
      ajvFormats: { mode: AJV_FORMATS_MODE },
      formats: { int64: INT64_FORMAT },
    }),
  );

  // 6. Only now, for an authorised and valid request: which store it addresses (X-Mock-Session;
  //    a refused request must not create a session), and the latency it should feel.
  app.use((req, res, next) => {
    res.locals.context = sessions.resolve(req.get('x-mock-session'));
    next();
  });
  app.use(delay(options.delay));

  // 7. Prefer: code=NNN and injected faults answer here, without touching state.
  app.use(responseControl({ failRates, random: seededRandom(options.failSeed ?? Date.now()) }));

  // 8. One handler per operationId, on the store the request addresses.
  for (const op of spec.operations) {
    const handler = policyHandlers[op.operationId];
    if (!handler) throw new Error(`no handler for operation ${op.operationId}`);
    app[op.method.toLowerCase() as 'get' | 'post' | 'delete'](op.expressPath, (req, res) => handler(contextOf(res).service, req, res));
  }

  // 9. Every failure as an ApiError with a declared status; and should that fail, still JSON.
  app.use(errorHandler(spec, logger), lastResort(logger));
  return app;
}

export function mockLocals(app: Express): MockLocals {
  return app.locals.mock as MockLocals;
}
