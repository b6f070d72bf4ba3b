import type { Store } from '../../store/store.js';
import type { Control } from './outcome.js';

/** What every store's cached answers hold together, by default (README, "Limits and guarantees"). */
export const DEFAULT_CACHE_BYTES = 64 * 1024 ** 2;
/** Bytes counted per answer besides its own: its key and the map's entry. */
const ENTRY_OVERHEAD = 128;

/**
 * One cache for every read: the validated bytes of a GET's 200, per store (the default one or a
 * session's), per path, for as long as that store's version stays put. Filled only by answers that
 * left through response validation as a 200; consulted after the controls, so none of them needs
 * to know about it. All stores share one byte bound: the least recently used answers go first, and
 * an answer larger than a quarter of the bound is sent, not kept.
 */
export class ResponseCache {
  /** In use order, oldest first (a hit moves its answer to the end). */
  readonly #answers = new Map<string, { bytes: Buffer; store: Store }>();
  readonly #stores = new WeakMap<Store, { id: number; version: number; keys: Set<string> }>();
  #nextId = 0;
  #bytes = 0;

  constructor(readonly maxBytes: number = DEFAULT_CACHE_BYTES) {}

  /** What the kept answers cost now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Drops what was kept for `store` (it ended, or changed). */
  forget(store: Store): void {
    const kept = this.#stores.get(store);
    if (!kept) return;
    for (const key of kept.keys) this.#delete(key);
    this.#stores.delete(store);
  }

  readonly control: Control = (next) => async (exchange) => {
    const { req, store, op } = exchange;
    // A query string the operation does not declare is ignored by the validator, but kept out of the key space.
    if (req.method !== 'GET' || req.url.includes('?') || op.responses.get(200)?.mediaType !== 'application/json') return next(exchange);
    const version = store.version;
    const key = this.#keyOf(store, version, req.path);
    const hit = this.#answers.get(key);
    if (hit) {
      this.#answers.delete(key);
      this.#answers.set(key, hit);
      return { status: 200, bytes: hit.bytes };
    }
    const outcome = await next(exchange);
    if (outcome?.status !== 200) return outcome;
    return {
      ...outcome,
      // Computed at this version, and still the answer of it: kept.
      cacheAs: (json) => {
        if (store.version === version) this.#keep(store, key, json);
      },
    };
  };

  /** The key of `path` in `store` at `version`; a store's answers of an older version are dropped here. */
  #keyOf(store: Store, version: number, path: string): string {
    let kept = this.#stores.get(store);
    if (kept?.version !== version) {
      if (kept) this.forget(store);
      kept = { id: kept?.id ?? this.#nextId++, version, keys: new Set() };
      this.#stores.set(store, kept);
    }
    return `${kept.id} ${path}`;
  }

  #keep(store: Store, key: string, json: string): void {
    const kept = this.#stores.get(store);
    if (!kept || this.#answers.has(key)) return;
    const cost = Buffer.byteLength(json) + key.length * 2 + ENTRY_OVERHEAD;
    if (cost > this.maxBytes / 4) return;
    // Room is made before the answer is kept: the cache never holds more than its bound.
    for (const oldest of this.#answers.keys()) {
      if (this.#bytes + cost <= this.maxBytes) break;
      this.#delete(oldest);
    }
    this.#answers.set(key, { bytes: Buffer.from(json), store });
    kept.keys.add(key);
    this.#bytes += cost;
  }

  #delete(key: string): void {
    const entry = this.#answers.get(key);
    if (!entry) return;
    this.#answers.delete(key);
    this.#bytes -= entry.bytes.length + key.length * 2 + ENTRY_OVERHEAD;
    this.#stores.get(entry.store)?.keys.delete(key);
  }
}
