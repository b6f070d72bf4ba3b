import type { Store } from '../../store/store.js';
import type { RuntimeControls } from './runtime-controls.js';

/**
 * Each store's own delay and fault rates: `PUT /__admin/controls` with `X-Mock-Session` changes
 * that session's only. A store starts with the flags' values (`--delay`, `--fail-rate`); a
 * dropped session's controls go with its store.
 */
export class StoreControls {
  readonly #of = new WeakMap<Store, RuntimeControls>();

  constructor(private readonly initial: RuntimeControls) {}

  of(store: Store): RuntimeControls {
    let controls = this.#of.get(store);
    if (!controls) this.#of.set(store, (controls = { ...this.initial }));
    return controls;
  }
}
