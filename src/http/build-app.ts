import express, { type Express, type RequestHandler } from 'express';
import type { PolicyService } from '../domain/policy-service.js';
import type { SeedSizes, StoreData } from '../domain/model.js';
import { OPERATIONS, type OperationInput } from '../operations/index.js';
import type { OpenApiDocument } from '../spec/openapi-document.js';
import { SpecIndex, type Operation } from '../spec/spec-index.js';
import type { SessionRegistry } from '../store/session-registry.js';
import type { Simulation } from '../store/simulation.js';
import type { Store } from '../store/store.js';
import { Coverage } from './logging/coverage.js';
import { adminRoutes } from './admin/admin-routes.js';
import { adminCompression } from './admin/gzip-across-network.js';
import { authenticate, type AuthOptions } from './pipeline/authenticate.js';
import { bodyParserFor, refuseInvalidUtf8 } from './pipeline/body-parser-for.js';
import { corsFor, refusedPreflight } from './pipeline/cors-for.js';
import { delay, type DelayRange } from './controls/delay.js';
import { seededRandom } from './controls/random.js';
import { StoreControls } from './controls/store-controls.js';
import { injectedFaults, preferCode, type FailRates } from './controls/response-control.js';
import { docsRoutes } from './docs/docs-routes.js';
import { errorHandler, lastResort } from './pipeline/error-handler.js';
import { hostGuard } from './pipeline/host-guard.js';
import { jsonBody } from './pipeline/json-body.js';
import type { Journal } from './logging/journal.js';
import { refuseDeepJson } from './pipeline/json-depth.js';
import type { Logger } from './logging/logger.js';
import { operationOf, resolveOperation } from './pipeline/operation-of.js';
import { pipeline } from './pipeline/pipeline.js';
import type { Call, Control } from './pipeline/outcome.js';
import { requestLog } from './logging/request-log.js';
import { respond } from './pipeline/respond.js';
import { ResponseCache } from './pipeline/response-cache.js';
import { routeGuard } from './pipeline/route-guard.js';
import { openApiValidator } from './pipeline/openapi-validator.js';

export interface HttpOptions {
  logger: Logger;
  /** `false` turns auth off; otherwise any bearer token, or only `token`. */
  auth?: AuthOptions | false | undefined;
  /** Largest accepted request body (default 1mb). */
  bodyLimit?: string | number;
  /** Origins allowed by CORS; any origin when absent. */
  corsOrigins?: string[];
  /** Latency added to every spec operation. */
  delay?: DelayRange;
  /** Share of requests turned into the declared 500. */
  failRates?: FailRates;
  /** Seed of the fault dice (random when absent). */
  failSeed?: number;
  /** Token for /__admin (required by the CLI off loopback). */
  adminToken?: string;
  /** Largest snapshot PUT /__admin/state accepts, inflated (default 64mb). */
  adminBodyLimit?: string | number;
  /** The address the server listens on: a `Host` naming it is always allowed. */
  listenHost?: string;
  /** More `Host` names to answer (`--allowed-host`); IP addresses and localhost always pass. */
  allowedHosts?: string[];
  /** Check every response against the spec (default true); false only for `npm run bench`. */
  validateResponses?: boolean;
}

/** What the pipeline works on, made by the composition root (app.ts). */
export interface HttpDeps extends HttpOptions {
  sessions: SessionRegistry;
  journal: Journal;
  serviceOf: (store: Store) => PolicyService;
  reseed: (seed: number, sizes: SeedSizes) => StoreData;
  /** The seed and sizes the mock started with: what a body-less reset goes back to. */
  start: StoreData['meta'];
  onReplace: (store: Store) => void;
  /** The living cluster, when `--simulate` runs (asked for late: it is made after the app). */
  simulation?: () => Simulation | undefined;
  /** Sessions alive at most: coverage keeps one more (the default store). */
  maxSessions?: number;
  /** The cache of read answers all stores share (app.ts makes it, so an ended store's answers go with it). */
  responseCache?: ResponseCache;
}

/** The mock's HTTP pipeline, as numbered steps; a request to an operation passes each in turn. */
export function buildApp(document: OpenApiDocument, deps: HttpDeps): Express {
  const { logger, sessions, journal } = deps;
  const spec = new SpecIndex(document);
  // The delay and fault rates the controls read per request, per store (each session has its own,
  // starting from the flags'): PUT /__admin/controls changes them.
  const controls = new StoreControls({ delay: deps.delay, failRates: deps.failRates ?? {} });
  const coverage = new Coverage(spec, document, (deps.maxSessions ?? 100) + 1);
  const app = express();
  app.disable('x-powered-by');
  // No ETag, so no 304 answer to If-None-Match: no operation declares a 304.
  app.set('etag', false);

  // 0. Only the Host names this mock answers to (DNS rebinding), for every route.
  app.use(hostGuard({ listenHost: deps.listenHost, allowedHosts: deps.allowedHosts }));

  // 1. Which operation this is (once). A spec operation runs steps 2–6 as one composed handler
  //    (pipeline.ts: a router walk per step cost more than the steps); anything else goes below.
  const api = corsFor(deps.corsOrigins, '*', ['Allow']);
  const log = requestLog(logger, journal, coverage);
  app.use(
    resolveOperation(
      spec,
      pipeline([
        // 2. CORS, then the log (its line and journal entry are written when the answer is).
        api,
        log,
        // 3. JSON bodies, for the operations that declare one (size, depth, UTF-8).
        bodyParserFor(jsonBody({ limit: deps.bodyLimit ?? '1mb', verify: refuseInvalidUtf8(refuseDeepJson()) })),
        // 4. Auth (the spec's bearer schemes), then the request against its operation; the
        //    response is checked on its way out.
        authenticate(deps.auth ?? {}),
        ...openApiValidator(document, { validateResponses: deps.validateResponses }),
        // 5. Only now, for an authorised and valid request: the store it addresses
        //    (X-Mock-Session; a refused request must not create a session).
        (req, res, next) => {
          res.locals.store = sessions.resolve(req.get('x-mock-session'));
          next();
        },
        // 6. The operation, wrapped by the controls and the response cache, answered by the one responder.
        operationCalls(spec.operations, deps.serviceOf, controls, deps.failSeed, deps.responseCache ?? new ResponseCache()),
      ]),
    ),
  );

  // 7. Not a spec operation: the control plane, outside the spec and its auth, and before the
  //    open CORS of the API (a web page from anywhere must not reset or replace the store); CORS
  //    (a preflight only where a path exists); the spec and its docs page (before the log, so a page
  //    load is not seven log lines); then 404 for an unknown path, 405 for another method.
  app.use(
    '/__admin',
    corsFor(deps.corsOrigins, false),
    requestLog(logger, journal),
    refusedPreflight,
    adminCompression,
    adminRoutes({
      sessions,
      journal,
      seed: deps.reseed,
      start: deps.start,
      adminToken: deps.adminToken,
      corsOrigins: deps.corsOrigins,
      bodyLimit: deps.adminBodyLimit,
      onReplace: deps.onReplace,
      coverage,
      controls,
      operationIds: spec.operations.map((op) => op.operationId),
      simulation: deps.simulation,
    }),
  );
  app.use((req, res, next) => (req.method === 'OPTIONS' && spec.methodsAt(req.path).length === 0 ? next() : api(req, res, next)));
  app.use(docsRoutes(document, () => sessions.defaultStore));
  app.use(log, refusedPreflight, routeGuard(spec));

  // 8. Every failure as an ApiError with a declared status; and should that fail, still JSON.
  app.use(errorHandler(spec, logger), lastResort(logger));
  return app;
}

/**
 * Each operation's module, wrapped by the controls (outermost first) and the response cache, as
 * the pipeline's last step: called with the validated input and the addressed store's service.
 */
function operationCalls(
  operations: readonly Operation[],
  serviceOf: (store: Store) => PolicyService,
  controls: StoreControls,
  failSeed: number | undefined,
  cache: ResponseCache,
): RequestHandler {
  const wrappers: Control[] = [
    delay(({ store }) => controls.of(store).delay),
    preferCode(),
    injectedFaults(({ store }) => controls.of(store).failRates, seededRandom(failSeed ?? Date.now())),
    cache.control,
  ];
  const calls = new Map<string, Call>();
  for (const op of operations) {
    const module = OPERATIONS[op.operationId] as (
      input: OperationInput<typeof op.operationId>,
    ) => ReturnType<(typeof OPERATIONS)[typeof op.operationId]>;
    const call: Call = async ({ req, store }) =>
      module({ service: serviceOf(store), body: req.body as never, params: req.params as never });
    calls.set(
      op.operationId,
      wrappers.reduceRight<Call>((inner, control) => control(inner), call),
    );
  }
  return (req, res, next) => {
    const op = operationOf(res)!;
    calls.get(op.operationId)!({ req, res, op, store: res.locals.store as Store }).then(
      (outcome) => outcome && respond(res, op, outcome),
      next,
    );
  };
}
