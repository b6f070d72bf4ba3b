import { clusterIndex, type ClusterIndex } from '../domain/cluster-index.js';
import type { PolicyStore } from '../domain/policy-store.js';
import { clusterBytes, documentPolicyBytes, unlimitedBudget, type DataBudget } from './data-budget.js';
import { adopt, applyChanges, documentOf, Draft, idKey, indexHasId, stateOf, type Change, type StoreState } from './draft.js';
import type { ClusterData, Policy, StoreData } from '../domain/model.js';

/** Where a store's document is kept (lowdb's adapter idea: the store knows nothing of files). */
export interface Persistence {
  /** Writes the whole document; resolves once it is in place. */
  write(data: StoreData): Promise<void>;
  /**
   * Keeps a batch of puts and removes (not the whole document); resolves once it is kept. Absent:
   * every batch is a `write` of the whole document.
   */
  append?(changes: readonly Change[]): Promise<void>;
  /** Told after each commit; `document` (the committed one) is built only if called (a compaction). */
  committed?(document: () => StoreData): void;
  /** Releases what the persistence holds (a file lock), once it has kept `document` whole (a compaction). */
  close(document?: StoreData): Promise<void>;
}

/** A change was valid but could not be kept: nothing changed, and the client gets the declared 500. */
export class PersistError extends Error {
  override name = 'PersistError';
}

interface Pending {
  change: (draft: Draft) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The store: one committed state, changed only by `transact`. A change runs against a draft and is
 * committed only once persisted, so what a client was told failed never shows up later, and what
 * was acknowledged is in the file. Changes that arrive while a write is under way are written
 * together in the next one (group commit). In memory, a change commits at once.
 */
export class Store implements PolicyStore {
  #state: StoreState;
  #version = 0;
  #document: { version: number; data: StoreData } | undefined;
  #queue: Pending[] = [];
  #running: Promise<void> | undefined;

  #policyBytes: number;
  #disposed = false;

  constructor(
    data: StoreData,
    private readonly persistence?: Persistence,
    private readonly budget: DataBudget = unlimitedBudget(),
  ) {
    this.#state = stateOf(data);
    this.#policyBytes = documentPolicyBytes(data);
    budget.take(this.#state.cluster, undefined, this.#policyBytes);
  }

  /** What this store's policies cost (see data-budget.ts). */
  get policyBytes(): number {
    return this.#policyBytes;
  }

  /** Lets go of what this store holds in the budget (a session dropped). */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.budget.release(this.#state.cluster, this.#policyBytes);
  }

  /** Refuses (a BudgetRefusal) one more cluster the size of `like`, before it is made: a simulation step asks first. */
  admitCluster(like: ClusterData): void {
    if (!this.#disposed) this.budget.admit(clusterBytes(like), 'a simulation step');
  }

  /**
   * Bumped by every committed change: an answer derived from the data stays right for as long as
   * this stays put.
   */
  get version(): number {
    return this.#version;
  }

  /** Whether changes are written somewhere (a --db file) before they commit. */
  get persistent(): boolean {
    return this.persistence !== undefined;
  }

  get meta(): StoreData['meta'] {
    return this.#state.meta;
  }

  get cluster(): ClusterData {
    return this.#state.cluster;
  }

  get index(): ClusterIndex {
    return clusterIndex(this.#state.cluster);
  }

  get policyCount(): number {
    return this.#state.policies.size;
  }

  policy(id: string): Policy | undefined {
    return this.#state.policies.get(idKey(id));
  }

  allPolicies(): Iterable<Policy> {
    return this.#state.policies.values();
  }

  /** The policies in list order (built once per version). */
  get policies(): readonly Policy[] {
    return this.data.policies;
  }

  hasId(id: string): boolean {
    return this.#state.policies.has(idKey(id)) || indexHasId(this.index, id);
  }

  /** The committed document (what a snapshot shows), built once per version. */
  get data(): StoreData {
    if (this.#document?.version !== this.#version) this.#document = { version: this.#version, data: documentOf(this.#state) };
    return this.#document.data;
  }

  /**
   * Runs `change` on a draft of the store and commits it once persisted; resolves to what `change`
   * returned. A `change` that throws changes nothing and rejects with its error; a failed write
   * rejects with a PersistError and changes nothing either.
   */
  transact<T>(change: (draft: Draft) => T): Promise<T> {
    if (!this.persistence) {
      try {
        const draft = new Draft(this);
        const result = change(draft);
        this.#admit(draft);
        this.#commit(draft);
        return Promise.resolve(result);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ change, resolve: resolve as (value: unknown) => void, reject });
      this.#running ??= this.#drain();
    });
  }

  putPolicy(policy: Policy): Promise<void> {
    return this.transact((draft) => draft.putPolicy(policy));
  }

  removePolicy(id: string): Promise<void> {
    return this.transact((draft) => draft.removePolicy(id));
  }

  /** Swaps in a whole new document (a reset or an imported snapshot). */
  replaceAll(data: StoreData): Promise<void> {
    return this.transact((draft) => draft.replaceAll(data));
  }

  /** Swaps in new cluster data (a simulation tick), keeping meta and policies. */
  replaceCluster(cluster: ClusterData): Promise<void> {
    return this.transact((draft) => draft.replaceCluster(cluster));
  }

  /** Resolves once every change asked for so far is committed or refused. */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Waits for pending writes, then releases the file (written whole first). */
  async close(): Promise<void> {
    await this.settled();
    await this.persistence?.close(this.data);
  }

  async #drain(): Promise<void> {
    // Never synchronously: `#running` must be set before this can clear it.
    await Promise.resolve();
    try {
      while (this.#queue.length > 0) await this.#writeBatch(this.#queue.splice(0));
    } finally {
      this.#running = undefined;
    }
  }

  async #writeBatch(batch: Pending[]): Promise<void> {
    const draft = new Draft(this);
    const accepted: Array<{ pending: Pending; result: unknown }> = [];
    for (const pending of batch) {
      // Each change on a draft of its own: one that throws leaves the others of the batch intact.
      const own = new Draft(draft);
      try {
        const result = pending.change(own);
        this.#admit(own);
        adopt(draft, own);
        accepted.push({ pending, result });
      } catch (error) {
        pending.reject(error);
      }
    }
    if (draft.changes.length > 0) {
      const persistence = this.persistence!;
      const small = persistence.append && draft.changes.every((c) => c.kind === 'put' || c.kind === 'remove');
      try {
        // A batch of puts and removes costs what it changes (a log line), and commits in place after.
        if (small) await persistence.append!(draft.changes);
        else await persistence.write(documentOf(applyChanges({ ...this.#state, policies: new Map(this.#state.policies) }, draft.changes)));
      } catch (error) {
        const failure = new PersistError(`the store could not be written: ${(error as Error).message}`, { cause: error });
        for (const { pending } of accepted) pending.reject(failure);
        return;
      }
      this.#commit(draft);
      persistence.committed?.(() => this.data);
    }
    for (const { pending, result } of accepted) pending.resolve(result);
  }

  #commit(draft: Draft): void {
    if (draft.changes.length === 0) return;
    this.#take(applyChanges(this.#state, draft.changes), draft.policyBytes);
  }

  /** Refuses a draft that would grow what the process holds past its budget (a shrink always passes). */
  #admit(draft: Draft): void {
    const cluster = draft.cluster;
    const newCluster = cluster === this.#state.cluster || this.budget.holds(cluster) ? 0 : clusterBytes(cluster);
    this.budget.admit(draft.policyBytes - this.#policyBytes + newCluster, 'this change');
  }

  #take(next: StoreState, policyBytes: number): void {
    // A dropped session's store may still finish a request in flight: it no longer counts.
    if (!this.#disposed) this.budget.take(next.cluster, this.#state.cluster, policyBytes - this.#policyBytes);
    this.#state = next;
    this.#policyBytes = policyBytes;
    this.#version++;
  }
}
