import type { Low } from 'lowdb';
import { ClusterIndex } from './cluster-index.js';
import type { Policy, StoreData } from './model.js';
import type { ClusterData } from './seed-cluster.js';

/**
 * The lowdb document plus the indexes derived from it. Mutations go through here so the
 * indexes never go stale; `persist()` resolves once the change is on disk (file mode), which is
 * when the API acknowledges it.
 */
export class Store {
  #index: ClusterIndex;
  /** Positions in `data.policies`: lookups and replaces by id without a scan of every policy. */
  #positions = new Map<string, number>();
  #version = 0;

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

  /**
   * Bumped by every change of the data (a policy written or removed, the cluster replaced, a
   * reset or import): an answer derived from the data stays right for as long as this stays put.
   */
  get version(): number {
    return this.#version;
  }

  policy(id: string): Policy | undefined {
    const at = this.#positions.get(id);
    return at === undefined ? undefined : this.db.data.policies[at];
  }

  get policies(): readonly Policy[] {
    return this.db.data.policies;
  }

  insertPolicy(policy: Policy): void {
    this.#positions.set(policy.id, this.db.data.policies.push(policy) - 1);
    this.#version++;
  }

  replacePolicy(policy: Policy): void {
    const at = this.#positions.get(policy.id);
    if (at === undefined) throw new Error(`no policy ${policy.id} to replace`);
    this.db.data.policies[at] = policy;
    this.#version++;
  }

  removePolicy(id: string): void {
    const at = this.#positions.get(id);
    if (at === undefined) return;
    const { policies } = this.db.data;
    policies.splice(at, 1);
    this.#positions.delete(id);
    // Only the policies after the removed one moved.
    for (let i = at; i < policies.length; i++) this.#positions.set(policies[i]!.id, i);
    this.#version++;
  }

  /** Swaps in a whole new document (a reset or an imported snapshot). */
  replaceAll(data: StoreData): void {
    this.db.data = data;
    this.#index = new ClusterIndex(data);
    this.#reindexPolicies();
    this.#version++;
  }

  /** Swaps in new cluster data (a simulation tick), keeping meta and policies. */
  replaceCluster(cluster: ClusterData): void {
    const { clusters, namespaces, pods, jobs } = cluster;
    this.db.data = { ...this.db.data, clusters, namespaces, pods, jobs };
    this.#index = new ClusterIndex(this.db.data);
    this.#version++;
  }

  persist(): Promise<void> {
    return this.db.write();
  }

  #reindexPolicies(): void {
    this.#positions = new Map(this.db.data.policies.map((p, i) => [p.id, i]));
  }
}
