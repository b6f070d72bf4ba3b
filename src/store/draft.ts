import { clusterIndex, type ClusterIndex } from '../domain/cluster-index.js';
import type { ClusterData, Policy, StoreData } from '../domain/model.js';
import type { PolicyDraft, StateReader } from '../domain/policy-store.js';
import { documentPolicyBytes, policyBytes } from './data-budget.js';

export type { StateReader } from '../domain/policy-store.js';

/** The store's data as it is kept: policies by id (in list order), the cluster shared and never edited. */
export interface StoreState {
  meta: StoreData['meta'];
  cluster: ClusterData;
  policies: Map<string, Policy>;
}

export type Change =
  | { kind: 'put'; policy: Policy }
  | { kind: 'remove'; id: string }
  | { kind: 'replaceAll'; data: StoreData }
  | { kind: 'replaceCluster'; cluster: ClusterData };

/**
 * A write in progress: reads see the base plus this draft's changes, and nothing reaches the base
 * until the store commits it (after the file write succeeded), so a failed write changes nothing.
 */
export class Draft implements PolicyDraft {
  readonly changes: Change[] = [];
  /** The latest value of each policy this draft touched (null: removed). */
  readonly #touched = new Map<string, Policy | null>();
  #replaced: StoreState | undefined;
  #cluster: ClusterData | undefined;
  #policyBytes: number;

  constructor(private readonly base: StateReader & { readonly policyBytes: number }) {
    this.#policyBytes = base.policyBytes;
  }

  /** What the policies of this draft cost (see data-budget.ts). */
  get policyBytes(): number {
    return this.#policyBytes;
  }

  get meta(): StoreData['meta'] {
    return this.#replaced?.meta ?? this.base.meta;
  }

  get cluster(): ClusterData {
    return this.#cluster ?? this.#replaced?.cluster ?? this.base.cluster;
  }

  get index(): ClusterIndex {
    return clusterIndex(this.cluster);
  }

  policy(id: string): Policy | undefined {
    const key = idKey(id);
    if (this.#touched.has(key)) return this.#touched.get(key) ?? undefined;
    return this.#replaced ? this.#replaced.policies.get(key) : this.base.policy(id);
  }

  allPolicies(): Iterable<Policy> {
    const all = new Map(this.#replaced ? this.#replaced.policies : mapOf(this.base.allPolicies()));
    for (const change of this.changes) applyPolicyChange(all, change);
    return all.values();
  }

  hasId(id: string): boolean {
    if (this.policy(id)) return true;
    return indexHasId(this.index, id);
  }

  /** Inserts a new policy (at the end of the list) or replaces one in place. */
  putPolicy(policy: Policy): void {
    this.#policyBytes += policyBytes(policy) - policyBytes(this.policy(policy.id));
    this.changes.push({ kind: 'put', policy });
    this.#touched.set(idKey(policy.id), policy);
  }

  removePolicy(id: string): void {
    this.#policyBytes -= policyBytes(this.policy(id));
    this.changes.push({ kind: 'remove', id });
    this.#touched.set(idKey(id), null);
  }

  replaceAll(data: StoreData): void {
    this.#policyBytes = documentPolicyBytes(data);
    this.changes.push({ kind: 'replaceAll', data });
    this.#touched.clear();
    this.#cluster = undefined;
    this.#replaced = stateOf(data);
  }

  replaceCluster(cluster: ClusterData): void {
    this.changes.push({ kind: 'replaceCluster', cluster });
    this.#cluster = cluster;
  }
}

/** UUIDs are case-insensitive: `EF64…` and `ef64…` name one policy. */
export const idKey = (id: string): string => id.toLowerCase();

function mapOf(policies: Iterable<Policy>): Map<string, Policy> {
  const map = new Map<string, Policy>();
  for (const policy of policies) map.set(idKey(policy.id), policy);
  return map;
}

function applyPolicyChange(policies: Map<string, Policy>, change: Change): void {
  if (change.kind === 'put') policies.set(idKey(change.policy.id), change.policy);
  else if (change.kind === 'remove') policies.delete(idKey(change.id));
}

const clusterOfDocument = new WeakMap<StoreData, ClusterData>();

/** The cluster object of a document, the one every store made from it shares. */
export function clusterOf(data: StoreData): ClusterData {
  let cluster = clusterOfDocument.get(data);
  if (!cluster) {
    const { clusters, namespaces, pods, jobs } = data;
    cluster = { clusters, namespaces, pods, jobs };
    clusterOfDocument.set(data, cluster);
  }
  return cluster;
}

/**
 * The state a store document stands for. The document's arrays are shared, not copied, and so is
 * its cluster object: every store made from one document (sessions of one seed) shares one index.
 */
export function stateOf(data: StoreData): StoreState {
  return { meta: data.meta, cluster: clusterOf(data), policies: mapOf(data.policies) };
}

/** Applies changes to `state` in place (the commit of a written batch). */
export function applyChanges(state: StoreState, changes: readonly Change[]): StoreState {
  let next = state;
  for (const change of changes) {
    if (change.kind === 'replaceAll') next = stateOf(change.data);
    else if (change.kind === 'replaceCluster') next = { ...next, cluster: change.cluster };
    else applyPolicyChange(next.policies, change);
  }
  return next;
}

/** The store document of a state: what a snapshot shows and a file holds. */
export function documentOf(state: StoreState): StoreData {
  return { meta: state.meta, ...state.cluster, policies: [...state.policies.values()] };
}

/** Whether a cluster, namespace, pod or job has this id, in any case (the seed's are lower case). */
export function indexHasId(index: ClusterIndex, id: string): boolean {
  const has = (key: string) => index.clusters.has(key) || index.namespaces.has(key) || index.pods.has(key) || index.jobs.has(key);
  return has(id) || has(idKey(id));
}

/** Replays a finished draft's changes onto its parent (a transaction joining its batch). */
export function adopt(parent: Draft, child: Draft): void {
  for (const change of child.changes) {
    if (change.kind === 'put') parent.putPolicy(change.policy);
    else if (change.kind === 'remove') parent.removePolicy(change.id);
    else if (change.kind === 'replaceAll') parent.replaceAll(change.data);
    else parent.replaceCluster(change.cluster);
  }
}
