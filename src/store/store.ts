import { Low, Memory, type Adapter } from 'lowdb';
import { clusterIndex, type ClusterIndex } from '../domain/cluster-index.js';
import type { PolicyStore } from '../domain/policy-store.js';
import { clusterBytes, documentPolicyBytes, unlimitedBudget, type DataBudget } from './data-budget.js';
import { adopt, applyChanges, documentOf, Draft, idKey, indexHasId, stateOf, type Change, type StoreState } from './draft.js';
import type { ClusterData, Policy, StoreData } from '../domain/model.js';

/**
 * Where a store's document is kept: lowdb's `Adapter` (`write`, and `read` at start), and around it
 * what lowdb does not do: a batch logged rather than the whole document written, compaction, a lock.
 */
export interface Persistence {
  /** Writes the whole document (lowdb's `Low.write` calls it); resolves once it is in place. */
  write(data: StoreData): Promise<void>;
  /** Reads the document (lowdb's `Low.read`); absent: nothing to read back. */
  read?(): Promise<StoreData | null>;
  /**
   * Keeps a batch of puts and removes (not the whole document); resolves once it is kept. Absent:
   * every batch is a `write` of the whole document.
   */
  append?(changes: readonly Change[]): Promise<void>;
  /** Told after each commit; `compact` writes the committed document whole (through lowdb), if called. */
  committed?(compact: () => Promise<void>): void;
  /** Releases what the persistence holds (a file lock), once it has kept the document whole with `compact`. */
  close(compact?: () => Promise<void>): Promise<void>;
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
  /**
   * The store's document and its adapter, as lowdb has them: `db.data` is the committed document
   * (built from the indexed state once per version, when read: see `data`), and every whole-document
   * write (a reset, an import, a simulation tick, a compaction) is `db.write()`. In memory the
   * adapter is lowdb's `Memory`; with `--db`, `DbFile`.
   */
  readonly db: Low<StoreData>;
  #state: StoreState;
  #version = 0;
  /** The version `db.data` was built for. */
  #dbVersion = 0;
  /** While a whole write is under way, `db.data` is what it writes: reads see this, the committed document. */
  #aside: StoreData | undefined;
  #queue: Pending[] = [];
  #running: Promise<void> | undefined;

  #policyBytes: number;
  #disposed = false;

  /** `document`: a `Low` already read (over `persistence`), or the document to put in one. */
  constructor(
    document: StoreData | Low<StoreData>,
    private readonly persistence?: Persistence,
    private readonly budget: DataBudget = unlimitedBudget(),
  ) {
    this.db = document instanceof Low ? document : new Low(persistence ? adapterOf(persistence) : new Memory<StoreData>(), document);
    const data = this.db.data;
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
    if (this.#aside) return this.#aside;
    if (this.#dbVersion !== this.#version) {
      this.db.data = documentOf(this.#state);
      this.#dbVersion = this.#version;
    }
    return this.db.data;
  }

  /** Writes the committed document whole (lowdb's `Low.write`): a compaction. */
  writeDocument(): Promise<void> {
    // A whole write under way holds every entry logged before it: it is a compaction itself.
    if (this.#aside) return Promise.resolve();
    this.db.data = this.data;
    return this.db.write();
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
        // A whole document (a reset, an import, a tick) goes to lowdb's Memory adapter too.
        if (!draft.changes.every(logged)) void this.writeDocument();
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
    await this.persistence?.close(() => this.writeDocument());
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
      const small = persistence.append && draft.changes.every(logged);
      try {
        // A batch of puts and removes costs what it changes (a log line), and commits in place after.
        if (small) await persistence.append!(draft.changes);
        else await this.#writeWhole(documentOf(applyChanges({ ...this.#state, policies: new Map(this.#state.policies) }, draft.changes)));
      } catch (error) {
        const failure = new PersistError(`the store could not be written: ${(error as Error).message}`, { cause: error });
        for (const { pending } of accepted) pending.reject(failure);
        return;
      }
      this.#commit(draft);
      persistence.committed?.(() => this.writeDocument());
    }
    for (const { pending, result } of accepted) pending.resolve(result);
  }

  /** `next` through lowdb (`db.data`, then `db.write()`); reads go on seeing the committed document until `#commit`. */
  async #writeWhole(next: StoreData): Promise<void> {
    const committed = this.data;
    this.#aside = committed;
    this.db.data = next;
    try {
      await this.db.write();
    } catch (error) {
      this.db.data = committed;
      this.#aside = undefined;
      throw error;
    }
  }

  #commit(draft: Draft): void {
    if (draft.changes.length === 0) return;
    this.#take(applyChanges(this.#state, draft.changes), draft.policyBytes);
    if (this.#aside) {
      // `db.data` is the document just written: the committed one now.
      this.#aside = undefined;
      this.#dbVersion = this.#version;
    }
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

/** Changes a log line keeps; any other (a whole document, a cluster) is a whole write. */
const logged = (change: Change) => change.kind === 'put' || change.kind === 'remove';

/** `persistence` as lowdb's adapter (one without `read` reads back nothing: lowdb then keeps its data). */
function adapterOf(persistence: Persistence): Adapter<StoreData> {
  return { read: () => persistence.read?.() ?? Promise.resolve(null), write: (data) => persistence.write(data) };
}
