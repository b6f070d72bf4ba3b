import { BudgetRefusal } from './data-budget.js';
import type { Store } from './store.js';

/** A session name or count the mock refuses; the HTTP layer answers 400 or 429. */
export class SessionRefusal extends Error {
  override name = 'SessionRefusal';
  constructor(
    readonly reason: 'bad_name' | 'too_many',
    message: string,
  ) {
    super(message);
  }
}

export interface SessionOptions {
  /** Most sessions alive at once; one more is a 429 rather than a slow death by memory. */
  max: number;
  /** A session unused this long is dropped (and starts from the seed again if used later). */
  idleMs: number;
}

/** Told when a store has ended (after it gave its budget back): what others keep for it can go too. */
export type StoreEnded = (store: Store) => void;

const SESSION_NAME = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * `X-Mock-Session: NAME` gives a request its own store, created from the seed on first use, so
 * parallel CI jobs can share one mock without seeing each other's policies.
 */
export class SessionRegistry {
  readonly #sessions = new Map<string, { store: Store; lastUsed: number }>();

  constructor(
    readonly defaultStore: Store,
    private readonly create: () => Store,
    private readonly options: SessionOptions,
    private readonly now: () => number = Date.now,
    private readonly ended: StoreEnded = () => {},
  ) {}

  /** The store a request addresses: the default one without a name. */
  resolve(name: string | undefined): Store {
    // Swept on every request, the default store's too: what an expired session held is room again.
    this.sweep();
    if (name === undefined || name === '') return this.defaultStore;
    if (!SESSION_NAME.test(name)) {
      throw new SessionRefusal('bad_name', 'X-Mock-Session must be 1 to 64 letters, digits or ._:-');
    }
    const now = this.now();
    const existing = this.#sessions.get(name);
    if (existing) {
      existing.lastUsed = now;
      return existing.store;
    }
    if (this.#sessions.size >= this.options.max) {
      throw new SessionRefusal(
        'too_many',
        `too many mock sessions (${this.options.max} alive); reuse a name, wait for idle ones to expire, or DELETE /__admin/sessions`,
      );
    }
    let store: Store;
    try {
      store = this.create();
    } catch (error) {
      // No room in --max-data for one more session's data: as for one session too many.
      if (error instanceof BudgetRefusal) throw new SessionRefusal('too_many', `no room for a new mock session: ${error.message}`);
      throw error;
    }
    this.#sessions.set(name, { store, lastUsed: now });
    return store;
  }

  /** Drops sessions idle for longer than allowed; returns how many. */
  sweep(): number {
    const cutoff = this.now() - this.options.idleMs;
    let dropped = 0;
    for (const [name, session] of this.#sessions) {
      if (session.lastUsed < cutoff) {
        this.#end(name);
        dropped++;
      }
    }
    return dropped;
  }

  names(): string[] {
    this.sweep();
    return [...this.#sessions.keys()];
  }

  /** Drops one session; whether it was alive. */
  drop(name: string): boolean {
    return this.#end(name);
  }

  /** Drops every session. */
  clear(): void {
    for (const name of [...this.#sessions.keys()]) this.#end(name);
  }

  /** Shutdown: every session ends, then the default store gives back what it held too. */
  close(): void {
    this.clear();
    this.defaultStore.dispose();
    this.ended(this.defaultStore);
  }

  /**
   * The one way a session ends (drop, clear, idle sweep, shutdown): out of the registry, its
   * budget given back, and whoever keeps something per store told.
   */
  #end(name: string): boolean {
    const session = this.#sessions.get(name);
    if (!session) return false;
    this.#sessions.delete(name);
    session.store.dispose();
    this.ended(session.store);
    return true;
  }

  /** The default store and every live session's, e.g. for the simulation to advance. */
  *stores(): Iterable<Store> {
    // Expired sessions are not worth another simulation tick (and are dropped for memory).
    this.sweep();
    yield this.defaultStore;
    for (const session of this.#sessions.values()) yield session.store;
  }
}
