import { PolicyService } from '../domain/policy-service.js';
import type { Store } from '../store/store.js';

/** One world of the mock: a store and the service over it. The default one, or a session's. */
export interface MockContext {
  store: Store;
  service: PolicyService;
}

export function mockContext(store: Store, now?: () => Date): MockContext {
  return { store, service: new PolicyService(store, now) };
}
