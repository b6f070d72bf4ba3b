import type { Express } from 'express';
import { PolicyService } from './domain/policy-service.js';
import type { SeedSizes } from './domain/model.js';
import type { AuthOptions } from './http/pipeline/authenticate.js';
import { buildApp, type HttpOptions } from './http/build-app.js';
import { Journal } from './http/logging/journal.js';
import { ResponseCache } from './http/pipeline/response-cache.js';
import { silentLogger, type Logger } from './http/logging/logger.js';
import { loadSpec } from './spec/load-spec.js';
import { DataBudget, seedBytes } from './store/data-budget.js';
import { clusterOf } from './store/draft.js';
import { memoryStore, openStore } from './store/open-store.js';
import { SessionRegistry, type SessionOptions } from './store/session-registry.js';
import type { Simulation } from './store/simulation.js';
import type { Store } from './store/store.js';
import { cachedSeedData, DEFAULT_SEED, sharedSeedData } from './world/seed.js';

export interface AppOptions extends Omit<HttpOptions, 'logger'> {
  /** Faker seed of the data (default 1337). */
  seed?: number;
  sizes?: Partial<SeedSizes>;
  /** Persist the default store to this JSON file; in memory when absent. Sessions stay in memory. */
  db?: string;
  /** Start the `db` file afresh from the seed and sizes, whatever it held. */
  resetDb?: boolean;
  /** fdatasync the `db` log per write (default true): acknowledged writes then survive a power cut too. */
  dbFsync?: boolean;
  /** An already opened default store (wins over seed, sizes and db). */
  store?: Store;
  /** `false` turns auth off; otherwise any bearer token, or only `token`. */
  auth?: AuthOptions | false;
  logger?: Logger;
  /** The clock for timestamps (tests pin it). */
  now?: () => Date;
  /** `X-Mock-Session` limits (default 100 sessions, dropped after 30 idle minutes). */
  sessions?: Partial<SessionOptions>;
  /** Requests the journal keeps (default 1000). */
  journalSize?: number;
  /** What all stores may hold together, estimated (default 1 GB): policies, and each distinct cluster once. */
  maxDataBytes?: number;
  /** What the cached read answers of all stores may hold together (default 64 MB). */
  cacheBytes?: number;
  /** The cluster changes every `tickMs`; `keep` lists pod and job ids never removed (a contract profile's). */
  simulate?: { tickMs: number; keep?: Iterable<string> };
}

/** 100 sessions, each dropped after 30 idle minutes. */
export const DEFAULT_SESSIONS: SessionOptions = { max: 100, idleMs: 30 * 60_000 };
export const DEFAULT_JOURNAL_SIZE = 1000;
export const DEFAULT_MAX_DATA_BYTES = 1024 ** 3;

export interface MockLocals {
  /** The default store (requests without `X-Mock-Session`). */
  store: Store;
  sessions: SessionRegistry;
  journal: Journal;
  simulation: Simulation | undefined;
  responseCache: ResponseCache;
}

/**
 * The composition root: options → the default store, sessions, journal and simulation → the
 * Express app, without listening (server.ts listens).
 */
export async function createApp(options: AppOptions = {}): Promise<Express> {
  const logger = options.logger ?? silentLogger;
  const seed = options.seed ?? DEFAULT_SEED;
  // 1. One budget for what every store holds (--max-data), and seeding that asks it first: a new
  //    seed at the largest sizes is half a gigabyte, and a client can ask for one per session.
  const budget = new DataBudget(options.maxDataBytes ?? DEFAULT_MAX_DATA_BYTES);
  const seedWithin = (seed: number, sizes: SeedSizes) => {
    const cached = cachedSeedData(seed, sizes);
    if (!cached || !budget.holds(clusterOf(cached))) budget.admit(seedBytes(sizes), `seeding ${seed} at these sizes`);
    return sharedSeedData(seed, sizes);
  };
  // 2. The default store: in memory, or the --db file (checked, locked, created from the seed).
  const store =
    options.store ??
    (await openStore({
      file: options.db,
      fresh: options.resetDb,
      seed: () => sharedSeedData(seed, options.sizes),
      budget,
      notice: (message) => logger.notice(message, { event: 'db' }),
      dbFile: { sync: options.dbFsync ?? true },
    }));
  // 3. Sessions start from what the default store was seeded with (a --db file's own seed and
  //    sizes), sharing that seed's cluster: each costs only what it changes.
  //    A body-less reset goes back to this start too (not to the last seed a reset was given).
  //    A store that ends takes its cached answers with it.
  const start = store.meta;
  const responseCache = new ResponseCache(options.cacheBytes);
  const sessions = new SessionRegistry(
    store,
    () => memoryStore(seedWithin(start.seed, start.sizes), budget),
    { ...DEFAULT_SESSIONS, ...options.sessions },
    Date.now,
    (ended) => responseCache.forget(ended),
  );
  const journal = new Journal(options.journalSize ?? DEFAULT_JOURNAL_SIZE);
  // 4. The living cluster, imported only when asked for (start-up time, memory).
  const simulation = options.simulate
    ? (await import('./store/simulation.js')).startSimulation(() => sessions.stores(), {
        tickMs: options.simulate.tickMs,
        keep: options.simulate.keep,
        onError: (error) => logger.error(`!! simulation tick failed: ${(error as Error).message}`),
      })
    : undefined;
  // 5. One policy service per store, made when a store is first addressed.
  const services = new WeakMap<Store, PolicyService>();
  const serviceOf = (s: Store) => {
    let service = services.get(s);
    if (!service) services.set(s, (service = new PolicyService(s, options.now)));
    return service;
  };
  // 6. The HTTP pipeline over all of it.
  const app = buildApp(loadSpec(), {
    ...options,
    logger,
    auth: options.auth,
    sessions,
    journal,
    serviceOf,
    reseed: seedWithin,
    start,
    onReplace: (s) => simulation?.restart(s),
    simulation: () => simulation,
    maxSessions: options.sessions?.max ?? DEFAULT_SESSIONS.max,
    responseCache,
  });
  app.locals.mock = { store, sessions, journal, simulation, responseCache } satisfies MockLocals;
  return app;
}

export function mockLocals(app: Express): MockLocals {
  return app.locals.mock as MockLocals;
}
