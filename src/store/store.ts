import type { Low } from 'lowdb';
import { ClusterIndex } from './cluster-index.js';
import type { Policy, StoreData } from './model.js';

/**
 * The lowdb document plus the indexes derived from it. Mutations go through here so the
 * indexes never go stale; `persist()` resolves once the change is on disk (file mode), which is
 * when the API acknowledges it.
 */
export class Store {
  #index: ClusterIndex;
  #policies = new Map<string, Policy>();

  constructor(private readonly db: Low<StoreData>) {
    this.#index = new ClusterIndex(db.data);
    this.#reindexPolicies();
  }

  get data(): Readonly<StoreData> {
    return this.db.data;
  }

  get index(): ClusterIndex {
    return this.#index;
  }

  policy(id: string): Policy | undefined {
    return this.#policies.get(id);
  }

  get policies(): readonly Policy[] {
    return this.db.data.policies;
  }

  insertPolicy(policy: Policy): void {
    this.db.data.policies.push(policy);
    this.#policies.set(policy.id, policy);
  }

  replacePolicy(policy: Policy): void {
    const at = this.db.data.policies.findIndex((p) => p.id === policy.id);
    if (at === -1) throw new Error(`no policy ${policy.id} to replace`);
    this.db.data.policies[at] = policy;
    this.#policies.set(policy.id, policy);
  }

  removePolicy(id: string): void {
    this.db.data.policies = this.db.data.policies.filter((p) => p.id !== id);
    this.#policies.delete(id);
  }

  /** Swaps in a whole new document (a reset or an imported snapshot). */
  replaceAll(data: StoreData): void {
    this.db.data = data;
    this.#index = new ClusterIndex(data);
    this.#reindexPolicies();
  }

  persist(): Promise<void> {
    return this.db.write();
  }

  #reindexPolicies(): void {
    this.#policies = new Map(this.db.data.policies.map((p) => [p.id, p]));
  }
}
