import express, { Router, type RequestHandler } from 'express';
import type { Journal } from '../control/journal.js';
import type { SessionRegistry } from '../control/session-registry.js';
import type { SeedSizes, StoreData } from '../store/model.js';
import type { Store } from '../store/store.js';
import { snapshotProblems } from '../store/snapshot.js';
import { ApiError } from './api-error.js';

export interface AdminOptions {
  sessions: SessionRegistry;
  journal: Journal;
  seed: (seed: number, sizes: SeedSizes) => StoreData;
  /** When set, every admin route but /health needs `Authorization: Bearer <adminToken>`. */
  adminToken?: string | undefined;
  /** Told when a store got a whole new document (the simulation starts its story again). */
  onReplace?: (store: Store) => void;
}

/** `/__admin`: the mock's control plane, outside the spec. `X-Mock-Session` picks the store, as for the API. */
export function adminRoutes(options: AdminOptions): Router {
  const { sessions, journal } = options;
  const router = Router();
  const contextOf = (req: express.Request) => sessions.resolve(req.get('x-mock-session'));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.use(adminAuth(options.adminToken));
  // Snapshots of big seeds are big; the API's own limit does not apply here.
  router.use(express.json({ limit: '200mb' }));

  router.post('/reset', async (req, res) => {
    const { store } = contextOf(req);
    const seed = (req.body as { seed?: unknown } | undefined)?.seed ?? store.data.meta.seed;
    if (!Number.isSafeInteger(seed) || (seed as number) < 0) {
      throw new ApiError(400, 'seed must be a whole number ≥ 0', [{ path: '/body/seed', message: 'must be a whole number ≥ 0' }]);
    }
    store.replaceAll(options.seed(seed as number, store.data.meta.sizes));
    options.onReplace?.(store);
    await store.persist();
    res.json({ message: `store reset to seed ${String(seed)}`, seed });
  });

  router.get('/state', (req, res) => {
    res.json(contextOf(req).store.data);
  });

  router.put('/state', async (req, res) => {
    const { store } = contextOf(req);
    const problems = snapshotProblems(req.body);
    if (problems.length > 0) throw new ApiError(400, `not a valid store snapshot: ${problems.length} problem(s), the store is unchanged`, problems);
    store.replaceAll(structuredClone(req.body as StoreData));
    options.onReplace?.(store);
    await store.persist();
    res.json({ message: 'state imported', policies: store.policies.length, pods: store.data.pods.length });
  });

  router.get('/requests', (req, res) => {
    const limit = req.query.limit === undefined ? undefined : Number(req.query.limit);
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) throw new ApiError(400, 'limit must be a whole number ≥ 0');
    const session = req.get('x-mock-session');
    res.json(journal.entries({ limit, ...(session ? { session } : {}) }));
  });

  router.delete('/requests', (_req, res) => {
    journal.clear();
    res.json({ message: 'journal cleared' });
  });

  router.get('/sessions', (_req, res) => {
    res.json(sessions.names());
  });

  router.delete('/sessions', (_req, res) => {
    sessions.clear();
    res.json({ message: 'sessions dropped' });
  });

  // Answered here, so an unknown admin path does not wander on into the API's pipeline.
  router.use((req, _res, next) => next(new ApiError(404, `no admin route at ${req.method} ${req.originalUrl}`)));

  return router;
}

function adminAuth(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (token === undefined || req.get('authorization') === `Bearer ${token}`) return next();
    next(new ApiError(401, 'admin routes need "Authorization: Bearer <admin token>" (--admin-token)', [{ path: '/headers/authorization', message: 'is not the admin token' }]));
  };
}
