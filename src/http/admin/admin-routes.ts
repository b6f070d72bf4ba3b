import express, { Router, type RequestHandler } from 'express';
import { addressedBy } from './addressed.js';
import { checkQuery, nonEmpty, trueOrFalse, wholeNumber } from './admin-query.js';
import type { ResetAnswer, StateAnswer } from './admin-api.js';
import type { RouteRow } from './route-row.js';
import { inspectorPage } from './inspector-page.js';
import { inspectorRoutes, type InspectorOptions } from './inspector-routes.js';
import type { Journal } from '../logging/journal.js';
import type { SessionRegistry } from '../../store/session-registry.js';
import type { SeedSizes, StoreData } from '../../domain/model.js';
import type { Store } from '../../store/store.js';
import { snapshotProblems } from '../../store/snapshot.js';
import { ApiError } from '../errors/api-error.js';
import { notUtf8 } from '../pipeline/body-parser-for.js';
import { refuseDeepJson } from '../pipeline/json-depth.js';
import { readReset } from './reset-body.js';
import { originAllowed } from './origin-allowed.js';

export interface AdminOptions extends InspectorOptions {
  sessions: SessionRegistry;
  journal: Journal;
  seed: (seed: number, sizes: SeedSizes) => StoreData;
  /** The start-up seed and sizes: a reset without a seed goes back to them. */
  start: StoreData['meta'];
  /** When set, every admin route but /health needs `Authorization: Bearer <adminToken>`. */
  adminToken?: string | undefined;
  /** Browser origins allowed to change state (besides the mock's own pages); none when absent. */
  corsOrigins?: readonly string[] | undefined;
  /** Largest snapshot accepted by PUT /state, inflated (default 64mb). */
  bodyLimit?: string | number | undefined;
  /** Told when a store got a whole new document (the simulation starts its story again). */
  onReplace?: (store: Store) => void;
}

/** A store document nests five levels; anything much deeper is not a snapshot. */
const SNAPSHOT_DEPTH = 32;
export const DEFAULT_ADMIN_BODY_LIMIT = '64mb';

/** `/__admin`: the mock's control plane, outside the spec. `X-Mock-Session` picks the store, as for the API. */
export function adminRoutes(options: AdminOptions): Router {
  const { sessions, journal } = options;
  const addressed = addressedBy(sessions);

  const routes: RouteRow[] = [
    [
      'post',
      '/reset',
      async (req, res) => {
        const store = addressed(req).store();
        const reset = readReset(req.body, options.start, store.meta.sizes);
        if (Array.isArray(reset)) {
          const onlySeed = reset.length === 1 && reset[0]?.path === '/body/seed';
          throw new ApiError(
            400,
            onlySeed ? 'seed must be a whole number ≥ 0' : `not a valid reset (${reset.length} problem(s)); nothing changed`,
            reset,
          );
        }
        await store.replaceAll(options.seed(reset.seed, reset.sizes));
        options.onReplace?.(store);
        res.json({ message: `store reset to seed ${reset.seed}`, seed: reset.seed } satisfies ResetAnswer);
      },
    ],
    [
      'get',
      '/state',
      (req, res) => {
        res.json(addressed(req).store().data);
      },
    ],
    [
      'put',
      '/state',
      async (req, res) => {
        const store = addressed(req).store();
        // Checked whole before anything changes; then written, then committed: all or nothing.
        const problems = snapshotProblems(req.body);
        if (problems.length > 0) {
          const shown = problems.length >= 50 ? 'the first 50 problems' : `${problems.length} problem(s)`;
          throw new ApiError(400, `not a valid store snapshot (${shown}); the store is unchanged`, problems);
        }
        const data = req.body as StoreData;
        await store.replaceAll(data);
        options.onReplace?.(store);
        res.json({ message: 'state imported', policies: data.policies.length, pods: data.pods.length } satisfies StateAnswer);
      },
    ],
    [
      'get',
      '/requests',
      (req, res) => {
        const { limit, after, all } = req.query as { limit?: string; after?: string; all?: string };
        // The addressed store's entries; `?all=true` every store's (the inspector's view).
        const { session } = addressed(req);
        res.json(
          journal.entries({
            limit: limit === undefined ? undefined : Number(limit),
            after: after === undefined ? undefined : Number(after),
            ...(all === 'true' ? {} : { session }),
          }),
        );
      },
      { limit: wholeNumber, after: wholeNumber, all: trueOrFalse },
    ],
    [
      'delete',
      '/requests',
      (req, res) => {
        // Only the addressed store's entries (a worker must not wipe the others'); `?all=true` all.
        const { session } = addressed(req);
        const all = (req.query as { all?: string }).all === 'true';
        journal.clear(all ? undefined : session);
        res.json({
          message: all ? 'journal cleared' : `journal of ${session === null ? 'the default store' : `session ${session}`} cleared`,
        });
      },
      { all: trueOrFalse },
    ],
    [
      'get',
      '/sessions',
      (_req, res) => {
        res.json(sessions.names());
      },
    ],
    [
      'delete',
      '/sessions',
      (req, res) => {
        // `?name=NAME` drops that one session; without it, all of them.
        const { name } = req.query as { name?: string };
        if (name !== undefined) {
          if (!sessions.drop(name))
            throw new ApiError(404, `no session ${name}`, [{ path: '/query/name', message: 'is not a live session' }]);
          return void res.json({ message: `session ${name} dropped` });
        }
        sessions.clear();
        res.json({ message: 'sessions dropped' });
      },
      { name: nonEmpty },
    ],
    ...inspectorRoutes(options),
  ];

  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // The inspector's files hold no data (it asks for the admin token, then fetches with it).
  const page = inspectorPage(options.adminToken !== undefined);
  router.use('/ui', page.handler);
  router.use(adminAuth(options.adminToken));
  router.use(refuseCrossSiteWrites(options.corsOrigins ?? []));
  router.use(express.json({ limit: options.bodyLimit ?? DEFAULT_ADMIN_BODY_LIMIT, verify: refuseDeepJson(SNAPSHOT_DEPTH) }));
  for (const [method, path, handler, query = {}] of routes) router[method](path, checkQuery(query), handler);

  // Answered here, so an unknown admin path does not wander on into the API's pipeline.
  const allowed = new Map<string, string[]>([['/health', ['GET']], ...page.paths.map((p): [string, string[]] => [p, ['GET']])]);
  for (const [method, path] of routes) allowed.set(path, [...(allowed.get(path) ?? []), method.toUpperCase()]);
  router.use((req, _res, next) => {
    const methods = allowed.get(req.path);
    if (!methods) return next(new ApiError(404, `no admin route at ${req.method} ${req.path}`));
    next(
      new ApiError(405, `${req.method} is not allowed on /__admin${req.path}; allowed: ${methods.join(', ')}`, [], {
        Allow: methods.join(', '),
      }),
    );
  });
  return router;
}

function adminAuth(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (token === undefined || req.get('authorization') === `Bearer ${token}`) return next();
    next(
      new ApiError(401, 'admin routes need "Authorization: Bearer <admin token>" (--admin-token)', [
        { path: '/headers/authorization', message: 'is not the admin token' },
      ]),
    );
  };
}

/**
 * Any web page can send a "simple" cross-site POST (text/plain, `mode: 'no-cors'`): CORS stops it
 * reading the answer, not the reset it causes. So a change of state from a browser must come from
 * an allowed origin (the mock's own pages, or `--cors-origin`), and its body must be JSON.
 */
function refuseCrossSiteWrites(corsOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const origin = req.get('origin');
    if (origin !== undefined && !originAllowed(origin, req.get('host'), corsOrigins)) {
      return next(
        new ApiError(403, `admin routes do not accept changes from the web page at ${origin} (allow it with --cors-origin)`, [
          { path: '/headers/origin', message: 'is not an allowed origin' },
        ]),
      );
    }
    const hasBody = req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
    if (hasBody && (!req.is('application/json') || notUtf8(req.get('content-type')))) {
      return next(
        new ApiError(415, `admin request bodies must be UTF-8 application/json (got ${req.get('content-type') ?? 'none'})`, [
          { path: '/headers/content-type', message: 'must be application/json' },
        ]),
      );
    }
    next();
  };
}
