import type { ClusterIndex } from './cluster-index.js';
import type { ClusterData, Policy, StoreData } from './model.js';

/** What a change reads: the committed state, or that state with earlier changes of the same batch. */
export interface StateReader {
  readonly meta: StoreData['meta'];
  readonly cluster: ClusterData;
  readonly index: ClusterIndex;
  policy(id: string): Policy | undefined;
  /** Every policy, in list order. */
  allPolicies(): Iterable<Policy>;
  /** Whether any cluster, namespace, pod, job or policy has this id (ids are unique across the store). */
  hasId(id: string): boolean;
}

/** A change in progress: reads see it, nothing is kept until the store commits it. */
export interface PolicyDraft extends StateReader {
  /** Inserts a new policy (at the end of the list) or replaces one in place. */
  putPolicy(policy: Policy): void;
  removePolicy(id: string): void;
}

/**
 * The store as the domain sees it (the store layer implements it): reads of the committed state,
 * and changes that are all or nothing.
 */
export interface PolicyStore extends StateReader {
  /** Bumped by every committed change. */
  readonly version: number;
  readonly policies: readonly Policy[];
  /** Runs `change` on a draft and commits it once kept; a throw or a failed write changes nothing. */
  transact<T>(change: (draft: PolicyDraft) => T): Promise<T>;
}
