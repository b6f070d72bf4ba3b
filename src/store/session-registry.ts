import { ControlError } from '../http/api-error.js';
import type { MockContext } from '../control/mock-context.js';

export interface SessionOptions {
  /** Most sessions alive at once; one more is a 429 rather than a slow death by memory. */
  max: number;
  /** A session unused this long is dropped (and starts from the seed again if used later). */
  idleMs: number;
}

const SESSION_NAME = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * `X-Mock-Session: NAME` gives a request its own store, created from the seed on first use, so
 * parallel CI jobs can share one mock without seeing each other's policies.
 */
export class SessionRegistry {
  readonly #sessions = new Map<string, { context: MockContext; lastUsed: number }>();

  constructor(
    readonly defaultContext: MockContext,
    private readonly create: () => MockContext,
    private readonly options: SessionOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** The context a request addresses: the default one without a name. */
  resolve(name: string | undefined): MockContext {
    if (name === undefined || name === '') return this.defaultContext;
    if (!SESSION_NAME.test(name)) {
      throw new ControlError(400, 'X-Mock-Session must be 1 to 64 letters, digits or ._:-', [{ path: '/headers/x-mock-session', message: 'is not a valid session name' }]);
    }
    this.sweep();
    const now = this.now();
    const existing = this.#sessions.get(name);
    if (existing) {
      existing.lastUsed = now;
      return existing.context;
    }
    if (this.#sessions.size >= this.options.max) {
      throw new ControlError(429, `too many mock sessions (${this.options.max} alive); reuse a name, wait for idle ones to expire, or DELETE /__admin/sessions`);
    }
    const context = this.create();
    this.#sessions.set(name, { context, lastUsed: now });
    return context;
  }

  /** Drops sessions idle for longer than allowed; returns how many. */
  sweep(): number {
    const cutoff = this.now() - this.options.idleMs;
    let dropped = 0;
    for (const [name, session] of this.#sessions) {
      if (session.lastUsed < cutoff) {
        this.#sessions.delete(name);
        dropped++;
      }
    }
    return dropped;
  }

  names(): string[] {
    this.sweep();
    return [...this.#sessions.keys()];
  }

  clear(): void {
    this.#sessions.clear();
  }

  /** The default context and every live session's, e.g. for the simulation to advance. */
  *contexts(): Iterable<MockContext> {
    // Expired sessions are not worth another simulation tick (and are dropped for memory).
    this.sweep();
    yield this.defaultContext;
    for (const session of this.#sessions.values()) yield session.context;
  }
}
