import type { Store } from '../store/store.js';
import type { Control } from './outcome.js';

/** Answers kept per store version; a few hundred reads of distinct policies at most. */
const MAX_ENTRIES = 512;

/**
 * One cache for every read: the validated bytes of a GET's 200, per store (the default one or a
 * session's), per path, for as long as that store's version stays put. Filled only by answers that
 * left through response validation as a 200; consulted after the controls, so none of them needs
 * to know about it.
 */
export function responseCache(): Control {
  const byStore = new WeakMap<Store, { version: number; answers: Map<string, Buffer> }>();
  return (next) => async (exchange) => {
    const { req, store, op } = exchange;
    // A query string the operation does not declare is ignored by the validator, but kept out of the key space.
    if (req.method !== 'GET' || req.url.includes('?') || op.responses.get(200)?.mediaType !== 'application/json') return next(exchange);
    const version = store.version;
    let kept = byStore.get(store);
    if (kept?.version !== version) {
      kept = { version, answers: new Map() };
      byStore.set(store, kept);
    }
    const bytes = kept.answers.get(req.path);
    if (bytes) return { status: 200, bytes };
    const outcome = await next(exchange);
    if (outcome?.status !== 200) return outcome;
    const answers = kept.answers;
    return {
      ...outcome,
      cacheAs: (json) => {
        // Computed at this version, and still the answer of it: kept.
        if (store.version !== version) return;
        if (answers.size >= MAX_ENTRIES) answers.clear();
        answers.set(req.path, Buffer.from(json));
      },
    };
  };
}
