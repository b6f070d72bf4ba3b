import type { Request } from 'express';
import type { SessionRegistry } from '../../store/session-registry.js';
import type { Store } from '../../store/store.js';

/** What an admin request addresses: `X-Mock-Session: NAME` that session, no header the default store. */
export interface Addressed {
  /** The session's name; null for the default store. */
  session: string | null;
  /** The store itself, made from the seed on first use (asked only by routes that need it). */
  store(): Store;
}

/** The one rule every admin route that reads or changes a store follows, as the API's requests do. */
export function addressedBy(sessions: SessionRegistry): (req: Request) => Addressed {
  return (req) => {
    const name = req.get('x-mock-session');
    return { session: name || null, store: () => sessions.resolve(name) };
  };
}
