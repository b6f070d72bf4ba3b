import { monitoredIds } from '../domain/monitored-ids.js';
import { simulateTick } from '../world/simulate-tick.js';
import { BudgetRefusal } from './data-budget.js';
import type { Store } from './store.js';

export interface SimulationOptions {
  /** Seed of the ticks' randomness; by default each store's own (`meta.seed`), so a reset to another seed changes the story too. */
  seed?: number;
  /** Milliseconds between ticks. */
  tickMs: number;
  /** Pod and job ids never removed (e.g. a contract profile's), besides those the store's policies name; see SimulateOptions.keep. */
  keep?: Iterable<string>;
  /** A failed tick or write; the simulation goes on. Default: one line on stderr. */
  onError?: (error: unknown) => void;
}

export interface Simulation {
  stop(): void;
  /** One tick now, for every target (what the timer does; tests drive it directly). */
  step(): void;
  /** Ticks so far (timer fires). */
  ticks(): number;
  /** Ticks applied to this store: a store that joined later (a new session) counts from its start. */
  ticksOf(store: Store): number;
  /** Counts this store's ticks from 0 again, e.g. after an admin reset put the seed back. */
  restart(store: Store): void;
}

/**
 * Advances every target store's cluster one tick per `tickMs`. Each store counts its own ticks,
 * so a store's cluster after n ticks is `runTicks(initial, seed, 0, n)` whenever it started (a
 * session created late replays the same story). The timer is unref'd: it never keeps the process alive.
 */
export function startSimulation(targets: () => Iterable<Store>, options: SimulationOptions): Simulation {
  if (!Number.isSafeInteger(options.tickMs) || options.tickMs < 1)
    throw new RangeError(`tickMs must be a whole number ≥ 1, got ${options.tickMs}`);
  const keep = new Set(options.keep ?? []);
  const onError =
    options.onError ?? ((error: unknown) => console.error(`!! simulation tick failed: ${(error as Error)?.message ?? String(error)}`));
  // A WeakMap, so a dropped session's store is not kept alive by its count.
  const applied = new WeakMap<Store, number>();
  const writing = new WeakSet<Store>();
  const waiting = new WeakSet<Store>();
  let ticks = 0;

  const step = () => {
    ticks++;
    for (const store of targets()) {
      // One tick in flight per store: a write slower than the tick skips a beat rather than queue up.
      if (writing.has(store)) continue;
      if (store.persistent) writing.add(store);
      const tick = (applied.get(store) ?? 0) + 1;
      store
        .transact((draft) => {
          const seed = options.seed ?? draft.meta.seed;
          // What the store's policies name lives on too, as on a real cluster.
          const kept = new Set([...keep, ...monitoredIds(draft.allPolicies())]);
          draft.replaceCluster(simulateTick(draft.cluster, seed, tick, { keep: kept, taken: (id) => draft.hasId(id) }));
          // Counted here, so that a store in memory (committed at once) counts it at once.
          applied.set(store, tick);
        })
        .catch((error: unknown) => {
          // Not written, so not applied: the same tick is tried again, and the story stays the seed's.
          applied.set(store, tick - 1);
          // Out of --max-data: this store's cluster waits; said once, not at every tick.
          if (error instanceof BudgetRefusal) {
            if (waiting.has(store)) return;
            waiting.add(store);
          }
          onError(error);
        })
        .finally(() => writing.delete(store));
    }
  };
  const timer = setInterval(step, options.tickMs);
  timer.unref();

  return {
    stop: () => clearInterval(timer),
    step,
    ticks: () => ticks,
    ticksOf: (store) => applied.get(store) ?? 0,
    restart: (store) => void applied.delete(store),
  };
}
