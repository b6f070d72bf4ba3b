import { clusterIndex } from '../domain/cluster-index.js';
import type { ClusterData } from '../domain/model.js';
import { monitoredIds } from '../domain/monitored-ids.js';
import { simulateTick } from '../world/simulate-tick.js';
import { BudgetRefusal } from './data-budget.js';
import { indexHasId, type Draft } from './draft.js';
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
  /** One tick now, for every target (what the timer does; tests drive it directly). Skipped while one is still running. */
  step(): void;
  /** Resolves once the tick under way (if any) is done. */
  idle(): Promise<void>;
  /** Ticks so far (timer fires). */
  ticks(): number;
  /** Steps of the story this store's cluster is at (0 for a cluster no tick made). */
  ticksOf(store: Store): number;
  /** Kept for callers that reset a store: a store's position is its cluster's, so a new document starts at 0 by itself. */
  restart(store: Store): void;
}

/**
 * A line of clusters, one per step, from a start cluster with one seed and one set of kept ids.
 * Every store whose cluster is on it, and whose seed and kept ids are the story's, takes the same
 * next cluster: made once, however many stores (sessions of one seed) share it.
 */
interface Story {
  readonly seed: number;
  readonly keep: ReadonlySet<string>;
  /** The last step a store committed, and its position. */
  current: ClusterData;
  tick: number;
  /** The step after `current`: made once, kept until a store committed it (a refused or failed one is tried again). */
  next?: { cluster: ClusterData; created: readonly string[] };
}

/** Work done between two yields to the event loop: a tick holds it at most this plus one cluster's step. */
const SLICE_MS = 20;

/**
 * Advances every target store's cluster one tick per `tickMs`. Stores that share a cluster (the
 * default store and sessions made from one seed) share its story: a tick makes each distinct
 * story's next cluster once, and a store on it takes that (copy-on-write, O(what differs): its
 * policy ids checked against the few new ids). A store whose policies keep other pods or jobs,
 * or whose cluster is its own (an import, a --db file), has its own story, and its own cluster
 * counts in --max-data; a step --max-data has no room for is not made. A store that joins a story
 * (a new session, a reset to the seed) joins it where it is now. Deterministic: a story's n-th
 * step is `runTicks(start, seed, 0, n, keep)`. The timer is unref'd: it never keeps the process alive.
 */
export function startSimulation(targets: () => Iterable<Store>, options: SimulationOptions): Simulation {
  if (!Number.isSafeInteger(options.tickMs) || options.tickMs < 1)
    throw new RangeError(`tickMs must be a whole number ≥ 1, got ${options.tickMs}`);
  const globalKeep = [...(options.keep ?? [])];
  const onError =
    options.onError ?? ((error: unknown) => console.error(`!! simulation tick failed: ${(error as Error)?.message ?? String(error)}`));
  // Weak, so a dropped session's store, or a cluster no store is on, is not kept alive by them.
  const storiesAt = new WeakMap<ClusterData, Story[]>();
  const positions = new WeakMap<ClusterData, number>();
  const keeps = new WeakMap<Store, { version: number; keep: ReadonlySet<string> }>();
  const writing = new WeakSet<Store>();
  const waiting = new WeakSet<object>();
  let ticks = 0;
  let running: Promise<void> | undefined;

  const keepOf = (policies: Draft | Store) => new Set([...globalKeep, ...monitoredIds(policies.allPolicies())]);
  /** The store's kept ids, computed again only when its policies may have changed (its version moved). */
  const cachedKeep = (store: Store) => {
    const cached = keeps.get(store);
    if (cached?.version === store.version) return cached.keep;
    const keep = keepOf(store);
    keeps.set(store, { version: store.version, keep });
    return keep;
  };
  const storyOf = (cluster: ClusterData, seed: number, keep: ReadonlySet<string>): Story => {
    const stories = storiesAt.get(cluster) ?? [];
    const found = stories.find((s) => s.seed === seed && sameSet(s.keep, keep));
    if (found) return found;
    const story: Story = { seed, keep, current: cluster, tick: positions.get(cluster) ?? 0 };
    // Found from its start cluster only if it is the first story from there (what a new session
    // joins); any other is found from the clusters it makes, so a start cluster kept alive by the
    // seed does not keep every story that ever left it alive too.
    if (stories.length === 0) storiesAt.set(cluster, [story]);
    return story;
  };
  const place = (cluster: ClusterData, story: Story, tick: number) => {
    positions.set(cluster, tick);
    const stories = storiesAt.get(cluster) ?? [];
    if (!stories.includes(story)) stories.push(story);
    storiesAt.set(cluster, stories);
  };
  const report = (key: object, error: unknown) => {
    // Out of --max-data: this cluster waits; said once, not at every tick.
    if (error instanceof BudgetRefusal) {
      if (waiting.has(key)) return;
      waiting.add(key);
    }
    onError(error);
  };

  /** The story's next cluster, made once; undefined when --max-data has no room for it (asked before making it). */
  const nextOf = (story: Story, asker: Store) => {
    if (story.next) return story.next;
    try {
      asker.admitCluster(story.current);
    } catch (error) {
      return void report(story, error);
    }
    const index = clusterIndex(story.current);
    const created: string[] = [];
    const taken = (id: string) => indexHasId(index, id) || void created.push(id) || false;
    const cluster = simulateTick(story.current, story.seed, story.tick + 1, { keep: story.keep, taken });
    place(cluster, story, story.tick + 1);
    return (story.next = { cluster, created });
  };

  /** Moves `store` onto the story's next cluster, or (its policies differ from the story's) onto a step of its own. */
  const apply = (store: Store, story: Story, next: NonNullable<Story['next']>) => {
    if (store.persistent) writing.add(store);
    const version = store.version;
    store
      .transact((draft) => {
        // A --db store's batch may hold policy changes made since: its kept ids are read from the draft.
        const keep = store.persistent ? keepOf(draft) : cachedKeep(store);
        if (sameSet(keep, story.keep) && !next.created.some((id) => draft.policy(id))) return draft.replaceCluster(next.cluster);
        // Its own story from here: a full step, which --max-data must have room for before it is made.
        store.admitCluster(draft.cluster);
        const tick = (positions.get(draft.cluster) ?? 0) + 1;
        const own = simulateTick(draft.cluster, story.seed, tick, { keep, taken: (id) => draft.hasId(id) });
        positions.set(own, tick);
        storyOf(own, story.seed, keep);
        draft.replaceCluster(own);
      })
      .then(() => {
        if (store.cluster === next.cluster) promote(story, next);
      })
      .catch((error: unknown) => report(store, error))
      .finally(() => writing.delete(store));
    // In memory a change commits at once: the story moves on now, and the kept ids stay known.
    if (store.cluster === next.cluster) {
      promote(story, next);
      const cached = keeps.get(store);
      if (cached?.version === version) cached.version = store.version;
    }
  };

  // Synchronous until a slice of work is done (a small cluster's tick is one call, as the timer's
  // callback); past it, the rest waits for the event loop (setImmediate) between stores and stories.
  let busy = false;
  const run = async () => {
    let slice = performance.now();
    const due = () => performance.now() - slice >= SLICE_MS;
    const pause = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    };
    const members = new Map<Story, Store[]>();
    try {
      for (const store of targets()) {
        // One tick in flight per store: a write slower than the tick skips a beat rather than queue up.
        if (writing.has(store)) continue;
        const keep = cachedKeep(store);
        const story = storyOf(store.cluster, options.seed ?? store.meta.seed, keep);
        // The story's own set from now on: the next comparison is one of identity.
        const cached = keeps.get(store);
        if (cached?.keep === keep) cached.keep = story.keep;
        const list = members.get(story);
        if (list) list.push(store);
        else members.set(story, [store]);
        if (due()) await pause();
      }
      for (const [story, stores] of members) {
        const next = nextOf(story, stores[0]!);
        if (next) for (const store of stores) apply(store, story, next);
        if (due()) await pause();
      }
    } finally {
      busy = false;
    }
  };

  const step = () => {
    if (busy) return;
    ticks++;
    busy = true;
    running = run()
      .catch(onError)
      .finally(() => (running = undefined));
  };
  const timer = setInterval(step, options.tickMs);
  timer.unref();

  return {
    stop: () => clearInterval(timer),
    step,
    idle: async () => {
      while (running) await running;
    },
    ticks: () => ticks,
    ticksOf: (store) => positions.get(store.cluster) ?? 0,
    restart: () => {},
  };
}

/** A story moves on once one of its stores committed its next cluster. */
function promote(story: Story, next: NonNullable<Story['next']>): void {
  if (story.next !== next) return;
  story.current = next.cluster;
  story.tick++;
  story.next = undefined;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const id of a) if (!b.has(id)) return false;
  return true;
}
